/** A JSON object as it arrives from another instance (untyped). */
export type Json = Record<string, unknown>;

/** Whether a value is a JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-empty string, trimmed; undefined otherwise. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The canonical textual UUID shape. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
