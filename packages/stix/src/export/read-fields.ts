import { InputError } from '@waggle/errors';

/** A JSON object with unknown members. */
export type Json = Readonly<Record<string, unknown>>;

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional list member; InputError when present but not an array of objects. */
export function listOf(parent: Json, key: string, path: string): readonly Json[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${path}.${key} must be an array, got ${describe(value)}`, { field: `${path}.${key}` });
  value.forEach((item, i) => {
    if (!isJsonObject(item)) throw new InputError(`${path}.${key}[${i}] must be an object, got ${describe(item)}`, { field: `${path}.${key}[${i}]` });
  });
  return value as Json[];
}

/** An optional text member (numbers are accepted as MISP sends ids and numbers either way). */
export function optionalText(parent: Json, key: string, path: string): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InputError(`${path}.${key} must be a string, got ${describe(value)}`, { field: `${path}.${key}` });
}

/** A required non-empty text member. */
export function requiredText(parent: Json, key: string, path: string): string {
  const value = optionalText(parent, key, path);
  if (value === undefined || value.trim() === '') throw new InputError(`${path}.${key} is required and must be a non-empty string`, { field: `${path}.${key}` });
  return value;
}

/** A MISP flag: booleans, 0/1 and their string forms, "true"/"false". */
export function flag(parent: Json, key: string, path: string, fallback: boolean): boolean {
  const value = parent[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true' || value === 'True') return true;
  if (value === 0 || value === '0' || value === 'false' || value === 'False') return false;
  throw new InputError(`${path}.${key} must be a boolean, got ${describe(value)}`, { field: `${path}.${key}` });
}

/** Names of a `Tag` list; each tag needs a non-empty `name`. */
export function tagNames(parent: Json, path: string): string[] {
  return listOf(parent, 'Tag', path).map((tag, i) => requiredText(tag, 'name', `${path}.Tag[${i}]`));
}

/** A short description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : `a ${typeof value}`;
}
