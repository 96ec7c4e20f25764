/**
 * Loose views of MISP JSON as it travels between instances. Sync copies
 * documents through mostly untouched, so these types name only the fields the
 * rules read; every other key is carried along verbatim.
 */

/** Any JSON object. */
export interface JsonObject {
  [key: string]: unknown;
}

/** A bare MISP event (the content of `{"Event": …}`), as `events/view` returns it. */
export interface MispEventJson extends JsonObject {
  uuid: string;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON objects in `value` when it is an array; anything else gives none. */
export function objectsIn(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/**
 * MISP sends numbers as strings ("4"), PyMISP-made documents sometimes as
 * numbers: both mean the same. Anything that is not a whole number gives
 * `undefined`.
 */
export function toInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  return undefined;
}

/** MISP flags arrive as booleans, 0/1 or "0"/"1". */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** A value as a trimmed string when it is a string or a number. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Deep copy of a JSON document, so the rules never mutate the caller's data. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
