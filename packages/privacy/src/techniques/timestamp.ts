import { InputError } from '@waggle/errors';

/** A parsed timestamp and the form it came in, so a result can be written back the same way. */
export interface ParsedTimestamp {
  /** Milliseconds since the Unix epoch. */
  readonly ms: number;
  /** `epoch`: seconds as a string or number (MISP's `timestamp`); `iso`: ISO 8601 text; `date`: a Date. */
  readonly form: 'epoch' | 'iso' | 'date';
  /** For `iso`: whether the text had fractional seconds. */
  readonly fractional: boolean;
}

const EPOCH = /^-?\d{1,12}$/;
// Date-only or date-time with optional seconds, fraction and zone; the shapes MISP and STIX use.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads epoch seconds (MISP `timestamp`, as a number or a digit string), ISO
 * 8601 text (a time without a zone is read as UTC) or a Date.
 *
 * @throws InputError for anything else or an out-of-range date.
 */
export function parseTimestamp(value: string | number | Date): ParsedTimestamp {
  let ms: number;
  let form: ParsedTimestamp['form'];
  let fractional = false;
  if (value instanceof Date) {
    ms = value.getTime();
    form = 'date';
  } else if (typeof value === 'number') {
    ms = value * 1000;
    form = 'epoch';
  } else if (typeof value === 'string' && EPOCH.test(value.trim())) {
    ms = Number(value.trim()) * 1000;
    form = 'epoch';
  } else if (typeof value === 'string' && ISO.test(value.trim())) {
    const text = value.trim().replace(' ', 'T').toUpperCase();
    const m = ISO.exec(text);
    fractional = m?.[1] !== undefined;
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T');
    ms = Date.parse(zoned ? text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${text}Z`);
    form = 'iso';
  } else {
    throw new InputError(`"${String(value).slice(0, 60)}" is not a timestamp (epoch seconds or ISO 8601)`, { field: 'timestamp' });
  }
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new InputError(`"${String(value).slice(0, 60)}" is not a valid date`, { field: 'timestamp' });
  return { ms, form, fractional };
}

/** ISO 8601 UTC text, with milliseconds only when asked for. */
export function isoUtc(ms: number, withMillis: boolean): string {
  const iso = new Date(ms).toISOString();
  return withMillis ? iso : `${iso.slice(0, 19)}Z`;
}
