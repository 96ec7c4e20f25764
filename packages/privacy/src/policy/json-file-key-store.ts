import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InputError } from '@waggle/errors';
import type { KeyStore } from './key-store.js';
import { keyStoreOver, type KeyStoreDeps, type StoredKeyVersion } from './memory-key-store.js';

interface FileShape {
  readonly format: 'waggle-privacy-keys';
  readonly version: 1;
  readonly keys: Record<string, { version: number; key: string; created: string }[]>;
}

function read(path: string): Map<string, StoredKeyVersion[]> {
  const keys = new Map<string, StoredKeyVersion[]>();
  if (!existsSync(path)) return keys;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`key store ${path} is not readable JSON: ${(error as Error).message}`, { field: 'keys' });
  }
  const file = parsed as Partial<FileShape>;
  if (file.format !== 'waggle-privacy-keys' || file.version !== 1 || typeof file.keys !== 'object' || file.keys === null) {
    throw new InputError(`key store ${path} is not a waggle privacy key file (format 'waggle-privacy-keys', version 1)`, { field: 'keys' });
  }
  for (const [name, versions] of Object.entries(file.keys)) {
    if (!Array.isArray(versions)) throw new InputError(`key store ${path}: key '${name}' has no version list`, { field: 'keys' });
    keys.set(
      name,
      versions.map((v, i) => {
        if (typeof v?.key !== 'string' || !/^([0-9a-f]{2}){16,}$/.test(v.key) || !Number.isInteger(v.version)) {
          throw new InputError(`key store ${path}: key '${name}' version entry ${i} is malformed`, { field: 'keys' });
        }
        return { version: v.version, key: Uint8Array.from(Buffer.from(v.key, 'hex')), created: String(v.created) };
      }),
    );
  }
  return keys;
}

function write(path: string, keys: Map<string, StoredKeyVersion[]>): void {
  const file: FileShape = {
    format: 'waggle-privacy-keys',
    version: 1,
    keys: Object.fromEntries([...keys].map(([name, versions]) => [name, versions.map((v) => ({ version: v.version, key: Buffer.from(v.key).toString('hex'), created: v.created }))])),
  };
  // Written under a temporary name with owner-only access, then renamed over
  // the old file: an interrupted write never leaves a half key file, and the
  // key material is never readable by others, not even for a moment.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * A key store in one JSON file (mode 0600, hex-encoded keys, every version
 * kept). The file is read once when the store is opened and rewritten
 * atomically after each `add` or `rotate`.
 */
export function createJsonFileKeyStore(path: string, deps: KeyStoreDeps): KeyStore {
  const keys = read(path);
  return keyStoreOver(keys, deps, () => write(path, keys));
}
