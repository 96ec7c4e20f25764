/**
 * A small seeded pseudo-random generator (sfc32), so that every run of the
 * benchmark builds exactly the same data set. Not for cryptography.
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

/** Mixes a 32-bit value (splitmix32 finaliser); used to derive independent seeds. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** A seed for stream `index` of a run seeded with `seed` (events get their own stream each). */
export function deriveSeed(seed: number, index: number): number {
  return mix32(mix32(seed) ^ mix32(index + 0x632be5ab));
}

const HEX = '0123456789abcdef';

/** Creates a generator from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  let a = mix32(seed);
  let b = mix32(a);
  let c = mix32(b);
  let d = 1;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 needs a few rounds to mix a fresh state.
  for (let i = 0; i < 12; i++) next32();
  const next = (): number => next32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p) => next() < p,
    hex: (length) => {
      let out = '';
      while (out.length < length) {
        let x = next32();
        for (let i = 0; i < 8 && out.length < length; i++) {
          out += HEX[x & 15];
          x >>>= 4;
        }
      }
      return out;
    },
  };
}
