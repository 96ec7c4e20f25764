import type { OsvRange } from './osv-record.js';
import type { VersionScheme } from './version-scheme.js';

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface CompiledEvent {
  readonly kind: Kind;
  readonly raw: string;
  /** Parsed version; undefined for `introduced: "0"`, which precedes every version. */
  readonly version: unknown;
}

/** An OSV range with its versions parsed and its events sorted, ready to test many versions. */
export interface CompiledRange {
  /** The range's verdict for a parsed installed version, with the fix that ends it when there is one. */
  test(version: unknown): { affected: boolean; fixed?: string };
}

// Ties sort introduced first, so `introduced: X, fixed: X` affects nothing.
const KIND_ORDER: Readonly<Record<Kind, number>> = { introduced: 0, fixed: 1, last_affected: 2, limit: 3 };

/**
 * Compiles an ECOSYSTEM or SEMVER range as the OSV schema evaluates it: events
 * sorted by version; `introduced` opens, `fixed` (at or above) and
 * `last_affected` (strictly above) close; a version at or above a `limit` is
 * outside the range.
 * @throws InputError when an event's version is invalid in the scheme.
 */
export function compileRange<V>(range: OsvRange, scheme: VersionScheme<V>): CompiledRange {
  const events: CompiledEvent[] = range.events.map((e) => {
    const [kind, raw] = Object.entries(e)[0] as [Kind, string];
    return { kind, raw, version: kind === 'introduced' && raw === '0' ? undefined : scheme.parse(raw) };
  });
  const cmp = (a: unknown, b: unknown): number => {
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
    return scheme.compare(a as V, b as V);
  };
  events.sort((x, y) => cmp(x.version, y.version) || KIND_ORDER[x.kind] - KIND_ORDER[y.kind]);
  const limits = events.filter((e) => e.kind === 'limit');
  const ordered = events.filter((e) => e.kind !== 'limit');
  return {
    test(v) {
      if (limits.some((l) => cmp(v, l.version) >= 0)) return { affected: false };
      let affected = false;
      let fixed: string | undefined;
      for (const e of ordered) {
        const c = cmp(v, e.version);
        if (e.kind === 'introduced') {
          if (e.version === undefined || c >= 0) affected = true;
          else break;
        } else if (e.kind === 'fixed') {
          if (c >= 0) affected = false;
          else if (affected) {
            fixed = e.raw;
            break;
          } else break;
        } else if (c > 0) affected = false;
        else break;
      }
      return affected ? { affected, ...(fixed !== undefined ? { fixed } : {}) } : { affected };
    },
  };
}
