import { InputError } from '@waggle/errors';

/** The manifest of a MISP feed: event uuid → event metadata. */
export const MANIFEST_FILE = 'manifest.json';
/** MISP's quick-lookup file: `<md5 of a value>,<event uuid>` per line. */
export const HASHES_FILE = 'hashes.csv';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/** Whether `value` is a UUID in the 8-4-4-4-12 hex form MISP uses. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** `<uuid>.json`, the file of one event; the uuid is checked so it can never name another path. */
export function eventFileName(uuid: string): string {
  if (!isUuid(uuid)) throw new InputError(`"${uuid}" is not an event UUID.`, { field: 'uuid' });
  return `${uuid.toLowerCase()}.json`;
}

/**
 * Throws InputError unless `name` is a plain file name (no separators, no
 * "..", no leading dot), so a port adapter can never be led outside its
 * folder or base URL.
 */
export function assertFeedFileName(name: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new InputError(`"${name}" is not a feed file name.`, { field: 'name' });
}
