import { accept, reject, type ValueRule } from './value-check.js';

// Calendar date, optional time (minutes and seconds optional, fraction with `.`
// or `,`), optional zone; basic (`20240102T0304`) and extended forms, `T` or a
// space between date and time.
const ISO_8601 =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

const REASON = 'Datetime has to be in the ISO 8601 format.';

// 9999-12-31T23:59:59Z: beyond it the year no longer fits the 4-digit format.
const MAX_EPOCH_SECONDS = 253_402_300_799;

/**
 * `datetime`: parses ISO 8601 (or `@<unix seconds>`) and formats it the way
 * MISP stores it, `YYYY-MM-DDTHH:MM:SS.uuuuuu+HHMM`, keeping the offset the
 * value was given in and assuming UTC when it has none.
 */
export const datetime: ValueRule = (value) => {
  const epoch = /^@(\d{1,12})$/.exec(value);
  if (epoch) {
    const seconds = Number(epoch[1]);
    return seconds <= MAX_EPOCH_SECONDS ? accept(formatUtc(new Date(seconds * 1000))) : reject(REASON);
  }
  const match = ISO_8601.exec(value);
  if (!match) return reject(REASON);
  const [, year = '', month = '', day = '', hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const offset = parseOffset(zone);
  if (offset === undefined || !isValidDate(Number(year), Number(month), Number(day))) return reject(REASON);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return reject(REASON);
  const micro = fraction.slice(0, 6).padEnd(6, '0');
  return accept(`${year}-${month}-${day}T${hour}:${minute}:${second}.${micro}${offset}`);
};

/** Returns the zone as `+HHMM`, or undefined when it is out of range. */
function parseOffset(zone: string): string | undefined {
  if (/^(Z|UTC|GMT)$/i.test(zone)) return '+0000';
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2) || '00';
  if (Number(hours) > 23 || Number(minutes) > 59) return undefined;
  return `${zone[0] ?? '+'}${hours}${minutes}`;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function formatUtc(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.000000+0000`
  );
}
