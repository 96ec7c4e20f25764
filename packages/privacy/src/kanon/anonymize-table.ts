import { InputError } from '@waggle/errors';
import { checkSpecShape, type DiversityKind, type KAnonymitySpec } from './kanon-spec.js';
import { encodeDimension, type Dimension } from './dimension.js';
import { groupCheck, isDiverse, sensitiveCounts } from './diversity.js';
import { mondrianPartition } from './mondrian.js';

/** A released cell: generalised quasi-identifiers are strings (`"20-29"`, `"10.0.0.0/16"`, `"{DE,FR}"`) or the original value when a class shares it. */
export type ReleasedCell = string | number | null;

/** What `anonymizeTable` returns. */
export interface KAnonymityResult {
  /** The released rows, grouped by equivalence class (classes in partition order, rows in input order within a class). */
  readonly rows: Record<string, ReleasedCell>[];
  /** Output columns in first-seen order, without the suppressed ones. */
  readonly columns: string[];
  /** Number of equivalence classes released. */
  readonly classes: number;
  /** Rows left out because no class could hold them (fewer than k rows, or too little diversity). */
  readonly suppressedRows: number;
  /** Normalised certainty penalty: mean over released cells of each QI's width (0 = as precise as the input, 1 = all `*`); suppressed rows count as 1. */
  readonly ncp: number;
}

function passthrough(v: unknown): ReleasedCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v as boolean | bigint | symbol);
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * Entropy l-diversity can fail for the table as a whole (one value dominates).
 * Rather than emit a violating class, leave out rows of the most frequent
 * value (the last ones in input order) until the rest is diverse. Returns the
 * rows kept, or none if fewer than k would remain.
 */
function diverseCore(sensitive: Int32Array, l: number, kind: DiversityKind, k: number): Int32Array {
  const all = Int32Array.from(sensitive.keys());
  const counts = sensitiveCounts(sensitive, all);
  if (isDiverse(counts, l, kind)) return all;
  const rowsOf = new Map<number, number[]>();
  sensitive.forEach((c, r) => {
    const list = rowsOf.get(c);
    if (list === undefined) rowsOf.set(c, [r]);
    else list.push(r);
  });
  const dropped = new Set<number>();
  while (!isDiverse(counts, l, kind) && sensitive.length - dropped.size >= k) {
    let top = -1;
    let topCount = 0;
    for (const [c, n] of counts) if (n > topCount || (n === topCount && c < top)) [top, topCount] = [c, n];
    dropped.add(rowsOf.get(top)!.pop() as number);
    if (topCount === 1) counts.delete(top);
    else counts.set(top, topCount - 1);
  }
  if (sensitive.length - dropped.size < k || !isDiverse(counts, l, kind)) return new Int32Array(0);
  return all.filter((r) => !dropped.has(r));
}

/**
 * k-anonymises a table with strict multidimensional Mondrian and, given a
 * sensitive column and l, l-diversity. Quasi-identifiers are generalised per
 * equivalence class, columns in `suppress` are dropped, other columns pass
 * through. Rows that cannot be placed in a valid class are left out and
 * counted, never released in a violating class. Deterministic: the same input
 * gives the same output. Bad specs and cells are `InputError`s naming the field.
 */
export function anonymizeTable(rows: readonly Record<string, unknown>[], spec: KAnonymitySpec): KAnonymityResult {
  checkSpecShape(spec);
  const suppress = new Set(spec.suppress ?? []);
  const allColumns = columnsOf(rows);
  const columns = allColumns.filter((c) => !suppress.has(c));
  if (rows.length === 0) return { rows: [], columns, classes: 0, suppressedRows: 0, ncp: 0 };

  const known = new Set(allColumns);
  spec.quasiIdentifiers.forEach((qi, i) => {
    if (!known.has(qi.column)) throw new InputError(`quasiIdentifiers[${i}].column: unknown column "${qi.column}"`, { field: `quasiIdentifiers[${i}].column` });
  });
  for (const c of suppress) if (!known.has(c)) throw new InputError(`suppress: unknown column "${c}"`, { field: 'suppress' });
  if (spec.sensitive !== undefined && !known.has(spec.sensitive)) throw new InputError(`sensitive: unknown column "${spec.sensitive}"`, { field: 'sensitive' });

  const dims: Dimension[] = spec.quasiIdentifiers.map((qi, i) => encodeDimension(qi, i, rows.map((r) => r[qi.column])));
  let diversity: { sensitive: Int32Array; l: number; kind: DiversityKind } | undefined;
  if (spec.sensitive !== undefined && spec.l !== undefined) {
    const col = spec.sensitive;
    const ids = new Map<string, number>();
    const sensitive = Int32Array.from(rows, (r) => {
      const v = String(r[col] ?? '');
      if (!ids.has(v)) ids.set(v, ids.size);
      return ids.get(v) as number;
    });
    if (spec.l > ids.size) throw new InputError(`l = ${spec.l} but column "${col}" has only ${ids.size} distinct values`, { field: 'l' });
    diversity = { sensitive, l: spec.l, kind: spec.diversity ?? 'distinct' };
  }

  const root = rows.length < spec.k ? new Int32Array(0) : diversity === undefined ? Int32Array.from(rows.keys()) : diverseCore(diversity.sensitive, diversity.l, diversity.kind, spec.k);
  const classes = root.length === 0 ? [] : mondrianPartition(root, dims, groupCheck(spec.k, diversity));

  const out: Record<string, ReleasedCell>[] = [];
  let penalty = 0;
  for (const cls of classes) {
    const general = new Map<string, ReleasedCell>();
    for (const d of dims) {
      general.set(d.column, d.generalize(cls));
      penalty += d.measure(cls) * cls.length;
    }
    for (const r of cls) {
      const src = rows[r] as Record<string, unknown>;
      const row: Record<string, ReleasedCell> = {};
      for (const c of columns) row[c] = general.has(c) ? (general.get(c) as ReleasedCell) : passthrough(src[c]);
      out.push(row);
    }
  }
  const suppressedRows = rows.length - root.length;
  const ncp = (penalty + suppressedRows * dims.length) / (rows.length * dims.length);
  return { rows: out, columns, classes: classes.length, suppressedRows, ncp };
}
