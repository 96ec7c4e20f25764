import { createHash } from 'node:crypto';

// STIX identifiers need an RFC 4122 UUID (version 1-5, variant 10xx), which is stricter than MISP's check.
const STIX_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const STIX_ID = /^([a-z][a-z0-9-]*[a-z0-9])--([0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/i;

/** Namespace of the UUIDv5 values this package derives when MISP gives no usable uuid. */
export const WAGGLE_STIX_NAMESPACE = '5f2a9c3e-6b1d-4e8a-9f07-2c4b8d1e6a53';

/** Whether `value` is a UUID that a STIX identifier accepts. */
export function isStixUuid(value: unknown): value is string {
  return typeof value === 'string' && STIX_UUID.test(value);
}

/** Splits `type--uuid`; undefined when it is not a valid STIX identifier. */
export function parseStixId(id: string): { readonly type: string; readonly uuid: string } | undefined {
  const m = STIX_ID.exec(id);
  return m === null ? undefined : { type: m[1] as string, uuid: (m[2] as string).toLowerCase() };
}

/** RFC 4122 name-based UUID (version 5, SHA-1), so derived ids are the same on every run. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
