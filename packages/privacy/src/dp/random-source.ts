import { createHash, randomBytes } from 'node:crypto';
import { InputError } from '@waggle/errors';

/**
 * Where the samplers get their randomness: uniform integers in
 * `[0, maxExclusive)`. Only integers are asked for, so no floating-point
 * rounding can shape the noise (the flaw Mironov 2012 exploited).
 */
export interface RandomSource {
  randomInt(maxExclusive: bigint): bigint;
}

function checkBound(maxExclusive: bigint): void {
  if (maxExclusive < 1n) throw new InputError(`randomInt bound must be at least 1 (got ${maxExclusive})`, { field: 'maxExclusive' });
}

/**
 * Uniform integer below `max` from a stream of random bytes, by rejection:
 * draw just enough bits, retry when the draw is ≥ max. Unbiased, and on
 * average fewer than two draws.
 */
function uniformBelow(max: bigint, bytes: (n: number) => Uint8Array): bigint {
  if (max === 1n) return 0n;
  const bits = (max - 1n).toString(2).length;
  const nBytes = Math.ceil(bits / 8);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const buf = bytes(nBytes);
    let v = 0n;
    for (const b of buf) v = (v << 8n) | BigInt(b);
    v &= mask;
    if (v < max) return v;
  }
}

/** Hands out bytes from a refilled buffer: `next()` supplies each new block. */
function bytePool(next: () => Uint8Array): (n: number) => Uint8Array {
  let pool: Uint8Array = new Uint8Array(0);
  let pos = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (pos >= pool.length) {
        pool = next();
        pos = 0;
      }
      out[i] = pool[pos++] as number;
    }
    return out;
  };
}

/**
 * The production source: the operating system's CSPRNG through `node:crypto`,
 * read 4 KiB at a time (one call per byte would cost more than the sampling).
 */
export function cryptoRandomSource(): RandomSource {
  const take = bytePool(() => randomBytes(4096));
  return {
    randomInt(maxExclusive) {
      checkBound(maxExclusive);
      return uniformBelow(maxExclusive, take);
    },
  };
}

/**
 * A deterministic source for tests and reproducible benchmarks: SHA-256 of
 * (seed, counter) as a byte stream. Never use it for real releases: anyone
 * who learns the seed can subtract the noise.
 */
export function seededRandomSource(seed: string): RandomSource {
  let counter = 0;
  const take = bytePool(() => createHash('sha256').update(`${seed}\u0000${counter++}`).digest());
  return {
    randomInt(maxExclusive) {
      checkBound(maxExclusive);
      return uniformBelow(maxExclusive, take);
    },
  };
}
