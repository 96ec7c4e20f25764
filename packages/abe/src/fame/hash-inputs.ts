import type { G1, PairingBackend } from '../pairing/backend.js';

/**
 * The domain separation tag for every hash to G1 in waggle's FAME, in the format
 * RFC 9380 §3.1 recommends (application, version, ciphersuite).
 */
export const FAME_HASH_DST = 'WAGGLE-ABE-V01-CS01-with-BLS12381G1_XMD:SHA-256_SSWU_RO_';

const encoder = new TextEncoder();

/** Input of H(y l t): 0x01 ‖ l ‖ t ‖ UTF-8(y). The leading byte keeps it apart from column inputs. */
export function attributeHashInput(attribute: string, l: number, t: number): Uint8Array {
  const name = encoder.encode(attribute);
  const out = new Uint8Array(3 + name.length);
  out.set([1, l, t]);
  out.set(name, 3);
  return out;
}

/** Input of H(0 j l t) for column j (1-based): 0x00 ‖ l ‖ t ‖ uint32-be(j). */
export function columnHashInput(j: number, l: number, t: number): Uint8Array {
  const out = new Uint8Array(7);
  out.set([0, l, t]);
  new DataView(out.buffer).setUint32(3, j);
  return out;
}

const CACHE_LIMIT = 8192;

/**
 * Hash-to-G1 with a bounded memo: the hashes are public and deterministic, and the
 * same attributes and columns come back in every key and ciphertext, so caching them
 * removes most of the hashing cost of encryption.
 */
export function createHasher(backend: PairingBackend): { attribute(y: string, l: number, t: number): G1; column(j: number, l: number, t: number): G1 } {
  const cache = new Map<string, G1>();
  const get = (key: string, input: () => Uint8Array): G1 => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const p = backend.hashToG1(input(), FAME_HASH_DST);
    cache.set(key, p);
    return p;
  };
  return {
    attribute: (y, l, t) => get(`a${l}${t}:${y}`, () => attributeHashInput(y, l, t)),
    column: (j, l, t) => get(`c${l}${t}:${j}`, () => columnHashInput(j, l, t)),
  };
}
