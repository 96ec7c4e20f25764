/** A Zeek field value: unset (`-`) is absent from the row, sets and vectors are arrays. */
export type ZeekValue = string | number | boolean | readonly (string | number)[];

/** One Zeek log entry: its log path (`conn`, `notice`, …) and its fields by name (`id.orig_h`, …). */
export interface ZeekRow {
  readonly path: string;
  readonly fields: Readonly<Record<string, ZeekValue>>;
}

/** Epoch milliseconds of a Zeek `ts` (seconds as a number, or ISO 8601 in JSON logs). */
export function zeekTime(v: ZeekValue | undefined): number {
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v) ? Math.round(Number(v) * 1000) : Date.parse(v);
  return NaN;
}

/** A string field or undefined. */
export function zeekString(row: ZeekRow, name: string): string | undefined {
  const v = row.fields[name];
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A numeric field or undefined. */
export function zeekNumber(row: ZeekRow, name: string): number | undefined {
  const v = row.fields[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
