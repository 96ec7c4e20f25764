import { ConflictError, InputError, NotFoundError } from '@waggle/errors';
import { KEY_BYTES, KEY_NAME, keyVersion, type KeyInfo, type KeyStore, type KeyVersion } from './key-store.js';

/** A stored key version (material included), as the adapters keep it. */
export interface StoredKeyVersion {
  readonly version: number;
  readonly key: Uint8Array;
  readonly created: string;
}

/** What a key store needs from outside: entropy and the clock. */
export interface KeyStoreDeps {
  /** `n` cryptographically random bytes. */
  readonly random: (n: number) => Uint8Array;
  readonly now: () => Date;
}

/**
 * The key store logic over a map of versions; `persist` is called after
 * every change (the JSON-file adapter writes the file there).
 */
export function keyStoreOver(keys: Map<string, StoredKeyVersion[]>, deps: KeyStoreDeps, persist: () => void): KeyStore {
  const versionsOf = (name: string): StoredKeyVersion[] => {
    const versions = keys.get(name);
    if (versions === undefined || versions.length === 0) throw new NotFoundError(`no key named '${name}' in the key store`, { field: 'key' });
    return versions;
  };
  const info = (name: string): KeyInfo => {
    const versions = versionsOf(name);
    return { name, version: versions[versions.length - 1]?.version ?? 0, versions: versions.map((v) => ({ version: v.version, created: v.created })) };
  };
  const fresh = (version: number): StoredKeyVersion => {
    const key = deps.random(KEY_BYTES);
    if (key.length !== KEY_BYTES) throw new InputError(`random source gave ${key.length} bytes, expected ${KEY_BYTES}`);
    return { version, key: Uint8Array.from(key), created: deps.now().toISOString() };
  };
  return {
    get(name): KeyVersion {
      const versions = versionsOf(name);
      const last = versions[versions.length - 1] as StoredKeyVersion;
      return keyVersion(name, last.version, last.key);
    },
    getVersion(name, version) {
      const found = versionsOf(name).find((v) => v.version === version);
      if (found === undefined) throw new NotFoundError(`key '${name}' has no version ${version}`, { field: 'key' });
      return keyVersion(name, found.version, found.key);
    },
    has: (name) => (keys.get(name)?.length ?? 0) > 0,
    add(name) {
      if (!KEY_NAME.test(name)) throw new InputError(`key name '${name}' must be 1 to 64 letters, digits, '.', '_' or '-'`, { field: 'key' });
      if (keys.has(name)) throw new ConflictError(`key '${name}' already exists; rotate it instead`, { field: 'key' });
      keys.set(name, [fresh(1)]);
      persist();
      return info(name);
    },
    rotate(name) {
      const versions = versionsOf(name);
      keys.set(name, [...versions, fresh((versions[versions.length - 1]?.version ?? 0) + 1)]);
      persist();
      return info(name);
    },
    list: () => [...keys.keys()].sort().map(info),
  };
}

/** A key store held in memory only (tests, one-off runs). */
export function createMemoryKeyStore(deps: KeyStoreDeps): KeyStore {
  return keyStoreOver(new Map(), deps, () => {});
}
