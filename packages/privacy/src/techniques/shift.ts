import { InputError } from '@waggle/errors';
import { keyedWordStream, uniformBelow } from './keyed-stream.js';
import { isoUtc, parseTimestamp } from './timestamp.js';

/**
 * Moves a timestamp by `offsetSeconds`, keeping its form: epoch seconds in
 * (number or digit string, as MISP's `timestamp`) → epoch seconds string out;
 * ISO 8601 in → ISO 8601 UTC out (with milliseconds only if the input had a
 * fraction); a Date → ISO 8601 UTC with milliseconds. Shifting every timestamp
 * of a data set by one secret offset hides absolute times but keeps intervals.
 *
 * @throws InputError on an unreadable timestamp or a non-integer offset.
 */
export function shiftTimestamp(value: string | number | Date, offsetSeconds: number): string {
  if (!Number.isSafeInteger(offsetSeconds)) throw new InputError(`the offset must be a whole number of seconds, got ${String(offsetSeconds)}`, { field: 'offsetSeconds' });
  const t = parseTimestamp(value);
  const ms = t.ms + offsetSeconds * 1000;
  if (Math.abs(ms) > 8.64e15) throw new InputError('the shifted date is out of range', { field: 'offsetSeconds' });
  switch (t.form) {
    case 'epoch':
      return String(Math.floor(ms / 1000));
    case 'iso':
      return isoUtc(ms, t.fractional);
    case 'date':
      return isoUtc(ms, true);
    default:
      throw new InputError('unknown timestamp form');
  }
}

/**
 * A secret, stable offset in [-maxSeconds, +maxSeconds] derived from `key` by
 * HMAC-SHA-256 (uniform, by rejection sampling): the same key always gives the
 * same offset, so every timestamp shifted with it keeps its distance to the others.
 *
 * @throws InputError on an empty key or a maxSeconds outside 0..2^31-1.
 */
export function offsetFromKey(key: Uint8Array, maxSeconds: number): number {
  if (!(key instanceof Uint8Array) || key.length === 0) throw new InputError('the time-shift key must be non-empty bytes', { field: 'key' });
  if (!Number.isInteger(maxSeconds) || maxSeconds < 0 || maxSeconds > 2 ** 31 - 1) {
    throw new InputError(`maxSeconds must be a whole number from 0 to 2^31-1, got ${String(maxSeconds)}`, { field: 'maxSeconds' });
  }
  const next = keyedWordStream(key, 'waggle/time-shift/v1');
  return uniformBelow(next, 2 * maxSeconds + 1) - maxSeconds;
}
