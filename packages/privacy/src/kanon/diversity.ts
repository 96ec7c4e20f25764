import type { DiversityKind } from './kanon-spec.js';

/** Whether a group of rows is acceptable as (part of) an equivalence class. */
export type GroupCheck = (rows: Int32Array) => boolean;

// Entropy is compared in floating point; this keeps an exactly uniform class from failing by rounding.
const EPS = 1e-12;

/** Counts of each sensitive code among `rows`. */
export function sensitiveCounts(sensitive: Int32Array, rows: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of rows) {
    const c = sensitive[r] as number;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

/**
 * True when the counts are l-diverse (Machanavajjhala et al. 2007): at least
 * l distinct values, or entropy −Σ p·log p ≥ log l.
 */
export function isDiverse(counts: ReadonlyMap<number, number>, l: number, kind: DiversityKind): boolean {
  if (kind === 'distinct') return counts.size >= l;
  let n = 0;
  for (const c of counts.values()) n += c;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
  return h >= Math.log(l) - EPS;
}

/** The check Mondrian applies to each side of a proposed split: ≥ k rows and, with a sensitive column, l-diverse. */
export function groupCheck(k: number, diversity: { sensitive: Int32Array; l: number; kind: DiversityKind } | undefined): GroupCheck {
  if (diversity === undefined) return (rows) => rows.length >= k;
  return (rows) => rows.length >= k && isDiverse(sensitiveCounts(diversity.sensitive, rows), diversity.l, diversity.kind);
}
