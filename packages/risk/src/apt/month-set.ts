/**
 * A set of matrix columns (months of the period) as a bitset: one row of a strategy matrix.
 * 145 months fit in five 32-bit words, so a row test is a handful of word operations.
 */
export type MonthSet = Uint32Array;

/** An empty set able to hold columns 0..months-1. */
export function createMonthSet(months: number): MonthSet {
  return new Uint32Array(Math.max(1, Math.ceil(months / 32)));
}

/** Adds column `col`. */
export function addMonth(set: MonthSet, col: number): void {
  set[col >>> 5] = ((set[col >>> 5] ?? 0) | (1 << (col & 31))) >>> 0;
}

/** Whether column `col` is in the set. */
export function hasMonth(set: MonthSet, col: number): boolean {
  return (((set[col >>> 5] ?? 0) >>> (col & 31)) & 1) === 1;
}

/** Whether the set holds any column ≥ `from`: the campaign-matrix row is 1 from its start on. */
export function hasMonthFrom(set: MonthSet, from: number): boolean {
  const word = from >>> 5;
  if (word >= set.length) return false;
  // Bits of the first word below `from` are masked off; later words count whole.
  if ((((set[word] ?? 0) >>> (from & 31)) | 0) !== 0) return true;
  for (let w = word + 1; w < set.length; w++) if ((set[w] ?? 0) !== 0) return true;
  return false;
}

/** Whether the set is empty (a version never installed). */
export function isEmptyMonthSet(set: MonthSet): boolean {
  return set.every((w) => w === 0);
}

/** The columns in the set, ascending. */
export function monthsOf(set: MonthSet): number[] {
  const out: number[] = [];
  for (let col = 0; col < set.length * 32; col++) if (hasMonth(set, col)) out.push(col);
  return out;
}
