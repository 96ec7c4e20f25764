import { InputError } from '@waggle/errors';

/** How a quasi-identifier column is generalised. */
export type QiKind = 'numeric' | 'timestamp' | 'ip' | 'categorical';

/** A quasi-identifier: a column that, combined with others, could single out a row's subject. */
export interface QiSpec {
  readonly column: string;
  readonly kind: QiKind;
  /**
   * Only for `categorical`: value → parent, e.g. `{ DE: 'EU', FR: 'EU', EU: '*' }`.
   * Values without a parent hang under the root `*`. Without a hierarchy a
   * categorical column generalises to a set of values (`{DE,FR}`) or `*`.
   */
  readonly hierarchy?: Readonly<Record<string, string>>;
}

/** Which l-diversity (Machanavajjhala et al. 2007) to require of every class. */
export type DiversityKind = 'distinct' | 'entropy';

/** What `anonymizeTable` is asked to do. */
export interface KAnonymitySpec {
  readonly quasiIdentifiers: readonly QiSpec[];
  /** The sensitive column whose values must be diverse within each class. */
  readonly sensitive?: string;
  /** Every class has at least k rows (k ≥ 2). */
  readonly k: number;
  /** Every class has l "well-represented" sensitive values; needs `sensitive`. */
  readonly l?: number;
  /** Default `distinct`. */
  readonly diversity?: DiversityKind;
  /** Direct identifiers dropped from the output entirely. */
  readonly suppress?: readonly string[];
}

const KINDS: readonly QiKind[] = ['numeric', 'timestamp', 'ip', 'categorical'];

/** Checks the spec's own shape (columns are checked against the table later); every problem is an `InputError` naming its field. */
export function checkSpecShape(spec: KAnonymitySpec): void {
  if (!Number.isInteger(spec.k) || spec.k < 2) throw new InputError(`k must be an integer of at least 2 (got ${String(spec.k)})`, { field: 'k' });
  if (!Array.isArray(spec.quasiIdentifiers) || spec.quasiIdentifiers.length === 0) throw new InputError('quasiIdentifiers must name at least one column', { field: 'quasiIdentifiers' });
  const seen = new Set<string>();
  spec.quasiIdentifiers.forEach((qi, i) => {
    const field = `quasiIdentifiers[${i}]`;
    if (typeof qi.column !== 'string' || qi.column === '') throw new InputError(`${field}.column must be a column name`, { field: `${field}.column` });
    if (seen.has(qi.column)) throw new InputError(`${field}: column "${qi.column}" is listed twice`, { field: `${field}.column` });
    seen.add(qi.column);
    if (!KINDS.includes(qi.kind)) throw new InputError(`${field}.kind must be one of ${KINDS.join(', ')} (got ${String(qi.kind)})`, { field: `${field}.kind` });
    if (qi.hierarchy !== undefined && qi.kind !== 'categorical') throw new InputError(`${field}.hierarchy is only for categorical columns`, { field: `${field}.hierarchy` });
  });
  const suppress = spec.suppress ?? [];
  for (const col of suppress) {
    if (seen.has(col)) throw new InputError(`suppress: "${col}" is a quasi-identifier; a column is either generalised or dropped`, { field: 'suppress' });
  }
  if (spec.sensitive !== undefined) {
    if (seen.has(spec.sensitive)) throw new InputError(`sensitive: "${spec.sensitive}" is also a quasi-identifier`, { field: 'sensitive' });
    if (suppress.includes(spec.sensitive)) throw new InputError(`sensitive: "${spec.sensitive}" is also suppressed`, { field: 'sensitive' });
  }
  if (spec.l !== undefined) {
    if (!Number.isInteger(spec.l) || spec.l < 1) throw new InputError(`l must be a positive integer (got ${String(spec.l)})`, { field: 'l' });
    if (spec.sensitive === undefined) throw new InputError('l needs a sensitive column', { field: 'sensitive' });
  }
  if (spec.diversity !== undefined) {
    if (spec.diversity !== 'distinct' && spec.diversity !== 'entropy') throw new InputError(`diversity must be "distinct" or "entropy" (got ${String(spec.diversity)})`, { field: 'diversity' });
    if (spec.l === undefined) throw new InputError('diversity needs l', { field: 'l' });
  }
}
