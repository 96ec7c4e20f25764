import { InputError } from '@waggle/errors';

// RFC 3339 date-time; 'T' and 'Z' may be lower case (RFC 3339 §5.6 note).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 timestamp and returns it in TAXII's form: UTC with a `Z`,
 * fractional seconds kept as given (up to nanoseconds, STIX allows more than
 * JavaScript's milliseconds). Throws InputError naming `field` otherwise.
 */
export function parseTaxiiTimestamp(value: string, field = 'timestamp'): string {
  const m = RFC3339.exec(value);
  if (m === null) throw new InputError(`${field} must be an RFC 3339 timestamp such as 2024-01-31T12:00:00.000Z, got ${JSON.stringify(value)}`, { field });
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  // Date rolls invalid fields over (Feb 30 → Mar 2); a round trip catches them.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || d.getUTCHours() !== hour || d.getUTCMinutes() !== minute || d.getUTCSeconds() !== second) {
    throw new InputError(`${field} is not a valid date and time: ${JSON.stringify(value)}`, { field });
  }
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) throw new InputError(`${field} has an invalid UTC offset: ${JSON.stringify(value)}`, { field });
    const sign = m[9] === '+' ? -1 : 1;
    d.setTime(d.getTime() + sign * (oh * 60 + om) * 60_000);
  }
  const base = d.toISOString().slice(0, 19);
  return m[7] === undefined ? `${base}Z` : `${base}.${m[7]}Z`;
}

/** Formats a Date as a TAXII timestamp (UTC, milliseconds, `Z`). */
export function formatTaxiiTimestamp(date: Date): string {
  return date.toISOString();
}

/**
 * Orders two TAXII timestamps (as returned by parseTaxiiTimestamp, or any UTC
 * `…Z` form): negative, zero or positive. `…:00Z` and `…:00.000Z` are equal.
 */
export function compareTaxiiTimestamps(a: string, b: string): number {
  const [as, af] = splitFraction(a);
  const [bs, bf] = splitFraction(b);
  if (as !== bs) return as < bs ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const x = af.padEnd(width, '0');
  const y = bf.padEnd(width, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

function splitFraction(ts: string): [string, string] {
  const body = ts.endsWith('Z') || ts.endsWith('z') ? ts.slice(0, -1) : ts;
  const dot = body.indexOf('.');
  return dot === -1 ? [body.toUpperCase(), ''] : [body.slice(0, dot).toUpperCase(), body.slice(dot + 1)];
}
