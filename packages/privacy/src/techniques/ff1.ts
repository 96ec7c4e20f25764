import { createCipheriv, type Cipher } from 'node:crypto';
import { InputError } from '@waggle/errors';

/** An FF1 format-preserving cipher for one key, radix and alphabet. */
export interface Ff1 {
  readonly radix: number;
  /** Encrypts a numeral string into another of the same length and alphabet. */
  encrypt(numerals: string, tweak?: Uint8Array): string;
  /** Inverts {@link Ff1.encrypt} for the same tweak. */
  decrypt(numerals: string, tweak?: Uint8Array): string;
}

/** Options of {@link createFf1}. */
export interface Ff1Options {
  /** Tweak used when a call passes none (default empty). */
  readonly tweak?: Uint8Array | undefined;
  /** Numeral characters, exactly `radix` distinct ones; default the first `radix` of 0-9a-z. */
  readonly alphabet?: string | undefined;
  /** Longest numeral string accepted (SP 800-38G allows up to 2^32; default 4096). */
  readonly maxLength?: number | undefined;
}

/** The default alphabet; the first `radix` characters are used. */
export const FF1_DEFAULT_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const ROUNDS = 10;
/** Halves below this fit plain numbers with room for the byte-wise modular folding. */
const SMALL_LIMIT = 2n ** 45n;
const BLOCK = 16;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** `n` as exactly `size` big-endian bytes (the caller guarantees it fits). */
function bigToBytes(n: bigint, size: number, out: Uint8Array, offset: number): void {
  let v = n;
  for (let i = size - 1; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

interface LengthParams {
  readonly u: number;
  readonly v: number;
  readonly b: number;
  readonly d: number;
  readonly radixU: bigint;
  readonly radixV: bigint;
}

/**
 * Creates an FF1 cipher (NIST SP 800-38G, AES-128/192/256 by key length).
 * Domain rules are enforced: radix in 2..36 with the default alphabet (or
 * 2..65536 with an own alphabet of exactly `radix` characters), and for each
 * value minlen ≤ length ≤ maxlen, where minlen is the smallest length ≥ 2 with
 * radix^minlen ≥ 1,000,000. With the default alphabet and radix > 10, input is
 * read case-insensitively and output is lower case.
 *
 * One AES-ECB cipher is kept per instance (the key schedule is expanded once);
 * the CBC-MAC of FF1's PRF is chained by hand over it, and the MAC state after
 * the fixed block P is memoised per (length, tweak length).
 *
 * @throws InputError on a bad key length, radix, alphabet or tweak.
 */
export function createFf1(key: Uint8Array, radix: number, options: Ff1Options = {}): Ff1 {
  if (!(key instanceof Uint8Array) || ![16, 24, 32].includes(key.length)) {
    throw new InputError(`an FF1 key is an AES key of 16, 24 or 32 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`, { field: 'key' });
  }
  const custom = options.alphabet !== undefined;
  const maxRadix = custom ? 65_536 : 36;
  if (!Number.isInteger(radix) || radix < 2 || radix > maxRadix) {
    throw new InputError(`the FF1 radix must be a whole number from 2 to ${maxRadix}${custom ? '' : ' with the default alphabet'}, got ${String(radix)}`, { field: 'radix' });
  }
  const alphabet = Array.from(options.alphabet ?? FF1_DEFAULT_ALPHABET.slice(0, radix));
  if (alphabet.length !== radix) throw new InputError(`the alphabet must have exactly ${radix} characters (the radix), got ${alphabet.length}`, { field: 'alphabet' });
  const digitOf = new Map<string, number>();
  alphabet.forEach((c, i) => {
    if (digitOf.has(c)) throw new InputError(`the alphabet repeats "${c}"`, { field: 'alphabet' });
    digitOf.set(c, i);
  });
  if (!custom) alphabet.forEach((c, i) => digitOf.set(c.toUpperCase(), i));
  const maxLength = options.maxLength ?? 4096;
  if (!Number.isSafeInteger(maxLength) || maxLength < 2 || maxLength > 2 ** 32) throw new InputError(`maxLength must be a whole number from 2 to 2^32, got ${String(maxLength)}`, { field: 'maxLength' });
  const bigRadix = BigInt(radix);
  let minLength = 2;
  while (bigRadix ** BigInt(minLength) < 1_000_000n) minLength++;
  if (minLength > maxLength) throw new InputError(`maxLength ${maxLength} is below the shortest length radix ${radix} allows (${minLength})`, { field: 'maxLength' });
  const defaultTweak = checkTweak(options.tweak ?? new Uint8Array(0));

  const ecb: Cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  ecb.setAutoPadding(false);
  const ciph = (block: Uint8Array): Buffer => ecb.update(block);

  const lengthParams = new Map<number, LengthParams>();
  const paramsFor = (n: number): LengthParams => {
    let p = lengthParams.get(n);
    if (p === undefined) {
      const u = Math.floor(n / 2);
      const v = n - u;
      const radixV = bigRadix ** BigInt(v);
      // b = ⌈⌈v·log2(radix)⌉ / 8⌉, computed exactly: ⌈log2(N)⌉ is the bit length of N − 1.
      const b = Math.ceil(bitLength(radixV - 1n) / 8);
      p = { u, v, b, d: 4 * Math.ceil(b / 4) + 4, radixU: bigRadix ** BigInt(u), radixV };
      if (lengthParams.size < 256) lengthParams.set(n, p);
    }
    return p;
  };

  // CIPH_K(P) depends only on (n, t); P's other fields are fixed per instance.
  const macAfterP = new Map<string, Buffer>();
  const prefixMac = (n: number, u: number, t: number): Buffer => {
    const id = `${n}/${t}`;
    let y = macAfterP.get(id);
    if (y === undefined) {
      const p = new Uint8Array(BLOCK);
      p.set([1, 2, 1, (radix >> 16) & 0xff, (radix >> 8) & 0xff, radix & 0xff, 10, u & 0xff]);
      new DataView(p.buffer).setUint32(8, n);
      new DataView(p.buffer).setUint32(12, t);
      y = ciph(p);
      if (macAfterP.size < 256) macAfterP.set(id, y);
    }
    return y;
  };

  const toDigits = (numerals: string): number[] => {
    if (typeof numerals !== 'string') throw new InputError('FF1 input must be a string of numerals', { field: 'numerals' });
    const chars = Array.from(numerals);
    if (chars.length < minLength || chars.length > maxLength) {
      throw new InputError(`FF1 with radix ${radix} needs ${minLength} to ${maxLength} numerals (so that radix^length ≥ 1,000,000), got ${chars.length}`, { field: 'numerals' });
    }
    return chars.map((c) => {
      const d = digitOf.get(c);
      if (d === undefined) throw new InputError(`"${c}" is not a numeral of the radix-${radix} alphabet`, { field: 'numerals' });
      return d;
    });
  };

  const num = (digits: readonly number[], from: number, to: number): bigint => {
    let x = 0n;
    for (let i = from; i < to; i++) x = x * bigRadix + BigInt(digits[i] as number);
    return x;
  };

  const str = (x: bigint, m: number): string => {
    const out = new Array<string>(m);
    let v = x;
    for (let i = m - 1; i >= 0; i--) {
      out[i] = alphabet[Number(v % bigRadix)] as string;
      v /= bigRadix;
    }
    return out.join('');
  };

  const x = new Uint8Array(BLOCK);

  /** The round function's S (its first d bytes count) for round i with `half` as the data. */
  const roundS = (prm: LengthParams, n: number, tweak: Uint8Array, i: number, half: bigint | number): Uint8Array => {
    const t = tweak.length;
    const zeros = (((-t - prm.b - 1) % BLOCK) + BLOCK) % BLOCK;
    const q = new Uint8Array(t + zeros + 1 + prm.b);
    q.set(tweak, 0);
    q[t + zeros] = i;
    if (typeof half === 'number') {
      let v = half;
      for (let k = q.length - 1; k > t + zeros; k--) {
        q[k] = v % 256;
        v = Math.floor(v / 256);
      }
    } else bigToBytes(half, prm.b, q, t + zeros + 1);
    // CBC-MAC over P || Q, continuing from the memoised state after P.
    let y: Uint8Array = prefixMac(n, prm.u, t);
    for (let off = 0; off < q.length; off += BLOCK) {
      for (let j = 0; j < BLOCK; j++) x[j] = (y[j] as number) ^ (q[off + j] as number);
      y = ciph(x);
    }
    const blocks = Math.ceil(prm.d / BLOCK);
    if (blocks === 1) return y;
    const r = y;
    const s = new Uint8Array(blocks * BLOCK);
    s.set(r, 0);
    for (let j = 1; j < blocks; j++) {
      // CIPH(R xor [j]^16): j as a 16-byte big-endian number.
      const xj = Uint8Array.from(r);
      const jBytes = new Uint8Array(BLOCK);
      new DataView(jBytes.buffer).setUint32(12, j);
      for (let k = 0; k < BLOCK; k++) xj[k] = (xj[k] as number) ^ (jBytes[k] as number);
      s.set(ciph(xj), j * BLOCK);
    }
    return s;
  };

  const bigRounds = (prm: LengthParams, n: number, tweak: Uint8Array, digits: readonly number[], decrypt: boolean): string => {
    // The halves are kept as numbers: NUM_radix(STR_m(c)) = c, so converting
    // back to numerals between rounds is unnecessary.
    let a = num(digits, 0, prm.u);
    let b = num(digits, prm.u, n);
    const y = (i: number, half: bigint): bigint => BigInt(`0x${Buffer.from(roundS(prm, n, tweak, i, half).subarray(0, prm.d)).toString('hex')}`);
    if (!decrypt) {
      for (let i = 0; i < ROUNDS; i++) {
        const mod = i % 2 === 0 ? prm.radixU : prm.radixV;
        const c = (a + y(i, b)) % mod;
        a = b;
        b = c;
      }
    } else {
      for (let i = ROUNDS - 1; i >= 0; i--) {
        const mod = i % 2 === 0 ? prm.radixU : prm.radixV;
        const c = (((b - y(i, a)) % mod) + mod) % mod;
        b = a;
        a = c;
      }
    }
    return str(a, prm.u) + str(b, prm.v);
  };

  /**
   * The same rounds in plain numbers, for halves below 2^45 (up to 13 decimal digits a half): y mod radix^m is folded byte by byte
   * (r·256 + 255 < 2^53), so no BigInt is needed. Several times faster.
   */
  const smallRounds = (prm: LengthParams, n: number, tweak: Uint8Array, digits: readonly number[], decrypt: boolean): string => {
    const mu = Number(prm.radixU);
    const mv = Number(prm.radixV);
    let a = 0;
    let b = 0;
    for (let i = 0; i < prm.u; i++) a = a * radix + (digits[i] as number);
    for (let i = prm.u; i < n; i++) b = b * radix + (digits[i] as number);
    const yMod = (i: number, half: number, m: number): number => {
      const s = roundS(prm, n, tweak, i, half);
      let r = 0;
      for (let k = 0; k < prm.d; k++) r = (r * 256 + (s[k] as number)) % m;
      return r;
    };
    if (!decrypt) {
      for (let i = 0; i < ROUNDS; i++) {
        const m = i % 2 === 0 ? mu : mv;
        const c = (a + yMod(i, b, m)) % m;
        a = b;
        b = c;
      }
    } else {
      for (let i = ROUNDS - 1; i >= 0; i--) {
        const m = i % 2 === 0 ? mu : mv;
        const c = (((b - yMod(i, a, m)) % m) + m) % m;
        b = a;
        a = c;
      }
    }
    const text = (v: number, len: number): string => {
      let out = '';
      let rest = v;
      for (let k = 0; k < len; k++) {
        out = (alphabet[rest % radix] as string) + out;
        rest = Math.floor(rest / radix);
      }
      return out;
    };
    return text(a, prm.u) + text(b, prm.v);
  };

  const run = (numerals: string, tweakArg: Uint8Array | undefined, decrypt: boolean): string => {
    const tweak = tweakArg === undefined ? defaultTweak : checkTweak(tweakArg);
    const digits = toDigits(numerals);
    const prm = paramsFor(digits.length);
    return prm.radixV <= SMALL_LIMIT ? smallRounds(prm, digits.length, tweak, digits, decrypt) : bigRounds(prm, digits.length, tweak, digits, decrypt);
  };

  return {
    radix,
    encrypt: (numerals, tweak) => run(numerals, tweak, false),
    decrypt: (numerals, tweak) => run(numerals, tweak, true),
  };
}

function checkTweak(tweak: Uint8Array): Uint8Array {
  if (!(tweak instanceof Uint8Array)) throw new InputError('an FF1 tweak must be bytes (Uint8Array)', { field: 'tweak' });
  return tweak;
}
