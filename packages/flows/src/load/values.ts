import type { FlowProtocol } from '../flow-record.js';

/** A problem with one row; the loader counts it with its line number and moves on. */
export class RowError extends Error {
  override readonly name = 'RowError';
}

/** Parses a numeric cell: `Infinity`/`inf` and `NaN` are kept as such; empty or non-numeric gives undefined. */
export function parseNumber(cell: string): number | undefined {
  // Number() already trims and reads `Infinity`; only empty cells (which it reads as 0) and the
  // spellings it rejects need a second look.
  const value = Number(cell);
  if (!Number.isNaN(value)) return value === 0 && cell.trim() === '' ? undefined : value;
  const lower = cell.trim().toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return undefined;
}

/** A count, size or duration that must be a finite number ≥ 0; `column` names it in the error. */
export function requireAmount(cell: string | undefined, column: string): number {
  const value = parseNumber(cell ?? '');
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new RowError(`${column}: expected a finite number >= 0, got "${cell ?? ''}"`);
  }
  return value;
}

/** A port 0–65535; UNSW-NB15 writes some in hex (`0x000b`) and unknown ones as `-` (taken as 0). */
export function requirePort(cell: string | undefined, column: string): number {
  const text = (cell ?? '').trim();
  if (text === '-' || text === '') return 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new RowError(`${column}: expected a port 0-65535, got "${text}"`);
  }
  return value;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, FlowProtocol>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const PROTOCOL_NAMES: Readonly<Record<string, FlowProtocol>> = {
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
  'ipv6-icmp': 'icmpv6',
  'icmp6': 'icmpv6',
};

/** Maps an IANA protocol number (`6`) or name (`tcp`) to the flow model's protocol; others are `other`. */
export function protocolOf(cell: string | undefined): FlowProtocol {
  const text = (cell ?? '').trim().toLowerCase();
  return PROTOCOL_NUMBERS[text] ?? PROTOCOL_NAMES[text] ?? 'other';
}

const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:\s*([AaPp])[Mm])?$/;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Parses a flow timestamp to epoch milliseconds. Accepted: CICFlowMeter's day-first
 * `d/m/yyyy h:mm[:ss][ AM|PM]` (CIC-IDS2017, CSE-CIC-IDS2018), ISO 8601 (no zone = UTC), and epoch
 * numbers (seconds below 1e11, milliseconds below 1e14, microseconds above). Datasets do not record
 * their time zone; times without one are taken as UTC.
 */
export function parseTimestamp(cell: string, column: string): number {
  const text = cell.trim();
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst !== null) {
    const [, d, m, y, h, min, s, frac, half] = dayFirst;
    let hour = Number(h);
    if (half !== undefined) hour = (hour % 12) + (half.toLowerCase() === 'p' ? 12 : 0);
    const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
    const value = Date.UTC(Number(y), Number(m) - 1, Number(d), hour, Number(min), Number(s ?? 0), ms);
    if (Number(m) < 1 || Number(m) > 12 || Number(d) < 1 || Number(d) > 31 || hour > 23) {
      throw new RowError(`${column}: not a date "${text}"`);
    }
    return value;
  }
  const numeric = text === '' ? undefined : Number(text);
  if (numeric !== undefined && Number.isFinite(numeric) && numeric >= 0) {
    if (numeric < 1e11) return Math.round(numeric * 1000);
    if (numeric < 1e14) return Math.round(numeric);
    return Math.round(numeric / 1000);
  }
  const parsed = Date.parse(ISO_NO_ZONE.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  if (Number.isNaN(parsed)) throw new RowError(`${column}: not a timestamp "${text}"`);
  return parsed;
}

/** Adds a cell to `extra` when it is a number; counts non-finite values (`Infinity`, `NaN`) instead of keeping them. */
export function addExtra(extra: Record<string, number>, name: string, cell: string, counters: { nonFinite: number }): void {
  const value = parseNumber(cell);
  if (value === undefined) return;
  if (Number.isFinite(value)) extra[name] = value;
  else counters.nonFinite += 1;
}
