import { InputError } from '@waggle/errors';

/** The attribute types whose `data` MISP keeps: the file's content, base64-encoded. */
export const DATA_TYPES: ReadonlySet<string> = new Set(['attachment', 'malware-sample']);

/**
 * The longest `data` accepted, in base64 characters: the server's default
 * request body limit (64 MiB), so anything a request can carry fits.
 */
export const MAX_DATA_LENGTH = 64 * 1024 * 1024;

/** Whether attributes of this type carry `data`. */
export function carriesData(type: string): boolean {
  return DATA_TYPES.has(type);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The `data` of an attribute of `type`, checked: undefined when the type keeps
 * none (MISP ignores it there) or none was given (an empty string counts as none,
 * as in MISP). Line breaks (MIME-style base64) are removed; anything else outside
 * the standard base64 alphabet, bad padding or a value over `max` characters is
 * an InputError naming `<field>.data`.
 */
export function attachmentData(type: string, data: unknown, field: string, max = MAX_DATA_LENGTH): string | undefined {
  if (!carriesData(type) || data === undefined || data === null || data === '') return undefined;
  const f = `${field}.data`;
  if (typeof data !== 'string') throw new InputError(`${f} must be a base64 string`, { field: f });
  const clean = data.replace(/\r?\n/g, '');
  if (clean.length > max) throw new InputError(`${f} is longer than ${max} characters`, { field: f });
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw new InputError(`${f} must be base64 (A-Z, a-z, 0-9, +, / and = padding)`, { field: f });
  return clean === '' ? undefined : clean;
}
