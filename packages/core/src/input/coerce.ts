import { InputError } from '@waggle/errors';

/** A JSON object, or an error naming the field. */
export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${field} must be a JSON object`, { field });
  return value as Record<string, unknown>;
}

/** A list (a single object counts as a list of one, as MISP accepts); absent → []. */
export function asList(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') return [value];
  throw new InputError(`${field} must be a list`, { field });
}

/** An optional string (numbers are turned into strings, as MISP clients send both). */
export function optString(value: unknown, field: string, max = 65_535): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new InputError(`${field} must be a string`, { field });
  if (value.length > max) throw new InputError(`${field} is longer than ${max} characters`, { field });
  return value;
}

/** A required, non-empty string. */
export function reqString(value: unknown, field: string, max?: number): string {
  const s = optString(value, field, max);
  if (s === undefined || s.trim() === '') throw new InputError(`${field} is required`, { field });
  return s;
}

/** An optional integer given as a number or decimal string (MISP sends strings). */
export function optInt(value: unknown, field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InputError(`${field} must be an integer`, { field });
  if (n < min || n > max) throw new InputError(`${field} must be between ${min} and ${max}`, { field });
  return n;
}

/** An optional boolean: true/false, 1/0, "1"/"0", "true"/"false". */
export function optBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true' || value === 'True') return true;
  if (value === 0 || value === '0' || value === 'false' || value === 'False') return false;
  throw new InputError(`${field} must be a boolean`, { field });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An optional UUID, lower-cased. */
export function optUuid(value: unknown, field: string): string | undefined {
  const s = optString(value, field);
  if (s === undefined || s === '') return undefined;
  if (!UUID.test(s)) throw new InputError(`${field} must be a UUID`, { field });
  return s.toLowerCase();
}

/** Whether a string is a UUID. */
export function isUuidString(s: string): boolean {
  return UUID.test(s);
}

/** An optional Unix timestamp (seconds), also accepting ISO 8601 date-times. */
export function optTimestamp(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && !/^[0-9]+$/.test(value.trim())) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new InputError(`${field} must be a Unix timestamp or an ISO 8601 date-time`, { field });
    return Math.floor(ms / 1000);
  }
  return optInt(value, field, 0);
}

/** An optional `YYYY-MM-DD` date (a full date-time is cut to its date). */
export function optDate(value: unknown, field: string): string | undefined {
  const s = optString(value, field);
  if (s === undefined || s === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s.trim());
  if (m === null || Number.isNaN(Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`))) throw new InputError(`${field} must be a date (YYYY-MM-DD)`, { field });
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Removes undefined values so optional properties stay absent (exactOptionalPropertyTypes). */
export function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  // A for-in loop: Object.entries built an array per property, on every attribute of every request.
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v;
  }
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}
