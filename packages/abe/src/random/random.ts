import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2';

/** The randomness the schemes consume: `n` fresh uniformly random bytes per call. */
export type RandomSource = (n: number) => Uint8Array;

/** Production randomness: the operating system's CSPRNG. */
export const systemRandom: RandomSource = (n) => new Uint8Array(randomBytes(n));

/**
 * A deterministic byte stream (SHA-256 in counter mode over a seed) for test vectors
 * and reproducible tests. Never use it to protect real data: anyone who knows the
 * seed knows every secret.
 */
export function seededRandom(seed: string): RandomSource {
  const seedBytes = new TextEncoder().encode(seed);
  let counter = 0;
  let buffer: Uint8Array = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (buffer.length === 0) {
        const block = new Uint8Array(seedBytes.length + 4);
        block.set(seedBytes);
        new DataView(block.buffer).setUint32(seedBytes.length, counter);
        counter += 1;
        buffer = sha256(block);
      }
      const take = Math.min(n - filled, buffer.length);
      out.set(buffer.subarray(0, take), filled);
      buffer = buffer.subarray(take);
      filled += take;
    }
    return out;
  };
}
