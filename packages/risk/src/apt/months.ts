/**
 * Months are counted as `year * 12 + (month - 1)`, so month arithmetic ("k months later") is
 * integer addition and the study period maps to consecutive matrix columns.
 */

/** The study period of the paper: January 2008 to January 2020, both included. */
export const APT_PERIOD = { start: monthIndex(2008, 1), end: monthIndex(2020, 1) } as const;

/** The month number of `year`-`month` (month 1–12). */
export function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/**
 * Parses `YYYY-MM` or `YYYY-MM-DD` (the day is ignored: the data has month granularity), years 1990–2100.
 * Returns undefined for anything else, so callers can report the bad value with its file.
 */
export function parseMonth(text: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(text.trim());
  if (m === null) return undefined;
  const month = Number(m[2]);
  const year = Number(m[1]);
  // Years outside 1990–2100 are typos (the Flash list has `1011-02` for 2011-02); callers report them.
  if (month < 1 || month > 12 || year < 1990 || year > 2100) return undefined;
  return monthIndex(Number(m[1]), month);
}

/** `YYYY-MM` of a month number. */
export function formatMonth(index: number): string {
  const year = Math.floor(index / 12);
  return `${year}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}
