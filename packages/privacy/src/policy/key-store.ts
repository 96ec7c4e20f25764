/**
 * One version of a named key. `key` is the secret material: it is not
 * enumerable, so `JSON.stringify`, `console.log` and spreads never show it.
 */
export interface KeyVersion {
  /** `<name>@v<version>`: how reports and the anonymisation object name it. */
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly key: Uint8Array;
}

/** What `list()` shows of a key: everything but the material. */
export interface KeyInfo {
  readonly name: string;
  /** The current version, used for new anonymisations. */
  readonly version: number;
  /** Every version kept, oldest first, so earlier pseudonyms stay explainable. */
  readonly versions: readonly { readonly version: number; readonly created: string }[];
}

/**
 * The key store port. Policies name keys; only the store holds the
 * material. `get` returns the current version; `rotate` adds a new version
 * and keeps the old ones; `add` creates a key that does not exist yet.
 */
export interface KeyStore {
  /** The current version of `name`; `NotFoundError` when there is no such key. */
  get(name: string): KeyVersion;
  /** A given (possibly old) version; `NotFoundError` when absent. */
  getVersion(name: string, version: number): KeyVersion;
  has(name: string): boolean;
  /** Creates `name` at version 1; `ConflictError` if it exists. */
  add(name: string): KeyInfo;
  /** Adds a new current version of `name`; `NotFoundError` if absent. */
  rotate(name: string): KeyInfo;
  list(): KeyInfo[];
}

/** Key material is this long (256 bits): enough for every technique's sub-key. */
export const KEY_BYTES = 32;

/** Makes a {@link KeyVersion} whose material is hidden from serialisation. */
export function keyVersion(name: string, version: number, key: Uint8Array): KeyVersion {
  const out = { id: `${name}@v${version}`, name, version } as KeyVersion;
  Object.defineProperty(out, 'key', { value: key, enumerable: false });
  return Object.freeze(out);
}

/** Key names: what policies may reference. */
export const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
