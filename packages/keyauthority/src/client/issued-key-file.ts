import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ConflictError, ForbiddenError, InputError } from '@waggle/errors';
import type { IssuedKey } from '../authority/issued-key.js';

/** Checks the shape of an issued key as received or read (the ABE codec checks the group elements). */
export function parseIssuedKey(json: unknown, source: string): IssuedKey {
  const o = json as Partial<IssuedKey> | null;
  const i = o?.issuance;
  if (typeof o !== 'object' || o === null || o.kind !== 'user' || !Array.isArray(o.attributes)) throw new InputError(`${source}: not a waggle ABE user key`, { field: 'key' });
  if (typeof i !== 'object' || typeof i.key_id !== 'string' || typeof i.epoch !== 'string' || Number.isNaN(Date.parse(i.expires_at))) {
    throw new InputError(`${source}: the key carries no valid "issuance" (not issued by a key authority)`, { field: 'issuance' });
  }
  return o as IssuedKey;
}

/** Throws `ForbiddenError` when the key's lifetime is over. */
export function assertNotExpired(key: IssuedKey, now: Date): void {
  if (Date.parse(key.issuance.expires_at) <= now.getTime()) {
    throw new ForbiddenError(`key ${key.issuance.key_id.slice(0, 12)} expired at ${key.issuance.expires_at} (epoch ${key.issuance.epoch}); request a new one`);
  }
}

/** Reads an issued key file and refuses it when expired. */
export function readIssuedKey(file: string, now: Date): IssuedKey {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new InputError(`${file}: unreadable or not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { field: 'key' });
  }
  const key = parseIssuedKey(json, file);
  assertNotExpired(key, now);
  return key;
}

/** Writes a key file with mode 0600; refuses to replace one unless `force`. */
export function writeIssuedKey(file: string, key: IssuedKey, force = false): void {
  if (!force && existsSync(file)) throw new ConflictError(`${file} exists; pass --force to replace it`);
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
}
