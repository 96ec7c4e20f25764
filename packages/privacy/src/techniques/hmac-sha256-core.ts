/*
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256) in plain TypeScript, with the
 * key's inner and outer states computed once per key.
 *
 * Why not node:crypto's createHmac: every call builds an OpenSSL context and
 * crosses into native code, about 2 µs per value, which caps pseudonymisation
 * near 450k values/s. With the keyed states precomputed, a short value costs
 * two compression-function calls here, several times faster. Correctness is
 * pinned by the RFC 4231 vectors and a cross-check against node:crypto over
 * random keys and lengths (hmac.test.ts).
 */

const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);

// FIPS 180-4 §4.2.2 and §5.3.3: the first 32 bits of the fractional parts of
// the cube roots (round constants) and square roots (initial state) of the
// first primes. Computed rather than typed in, so no digit can be mistyped;
// double precision leaves over 15 spare bits for the 32 needed.
const fraction32 = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) | 0;
const K = Int32Array.from(PRIMES, (p) => fraction32(Math.cbrt(p)));
const H0 = Int32Array.from(PRIMES.slice(0, 8), (p) => fraction32(Math.sqrt(p)));

const W = new Int32Array(64);

/** One SHA-256 compression of the 16 words in W[0..15] into `state`. */
function compress(state: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = W[t - 15] as number;
    const y = W[t - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + s1 + ch + (K[t] as number) + (W[t] as number)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** Loads 64 bytes of `bytes` from `offset` into W[0..15] (big-endian words). */
function loadBlock(bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const o = offset + i * 4;
    W[i] = ((bytes[o] as number) << 24) | ((bytes[o + 1] as number) << 16) | ((bytes[o + 2] as number) << 8) | (bytes[o + 3] as number);
  }
}

const tail = new Uint8Array(128);

/**
 * Continues a SHA-256 from `state` (which has absorbed `before` bytes, a
 * multiple of 64) over `data[0..length)` and finishes it; `state` ends as the digest.
 */
function finish(state: Int32Array, before: number, data: Uint8Array, length: number): void {
  let off = 0;
  for (; length - off >= 64; off += 64) {
    loadBlock(data, off);
    compress(state);
  }
  const rest = length - off;
  tail.fill(0);
  for (let i = 0; i < rest; i++) tail[i] = data[off + i] as number;
  tail[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const bits = (before + length) * 8;
  const end = blocks * 64;
  tail[end - 8] = 0;
  tail[end - 7] = 0;
  tail[end - 6] = Math.floor(bits / 2 ** 40) & 0xff;
  tail[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  tail[end - 4] = (bits >>> 24) & 0xff;
  tail[end - 3] = (bits >>> 16) & 0xff;
  tail[end - 2] = (bits >>> 8) & 0xff;
  tail[end - 1] = bits & 0xff;
  for (let blk = 0; blk < blocks; blk++) {
    loadBlock(tail, blk * 64);
    compress(state);
  }
}

/** SHA-256 of `data`. */
function sha256(data: Uint8Array): Uint8Array {
  const state = Int32Array.from(H0);
  finish(state, 0, data, data.length);
  return wordsToBytes(state);
}

function wordsToBytes(words: Int32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const w = words[i] as number;
    out[i * 4] = w >>> 24;
    out[i * 4 + 1] = (w >>> 16) & 0xff;
    out[i * 4 + 2] = (w >>> 8) & 0xff;
    out[i * 4 + 3] = w & 0xff;
  }
  return out;
}

/**
 * A key's HMAC-SHA-256: the MAC of `data[0..length)` as 8 big-endian 32-bit
 * words, in an array reused by the next call (copy it to keep it).
 */
export type KeyedHmac = (data: Uint8Array, length?: number) => Int32Array;

/** Precomputes the inner and outer states of HMAC-SHA-256 for `key` (any length). */
export function keyedHmacSha256(key: Uint8Array): KeyedHmac {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sha256(key) : key);
  const inner = Int32Array.from(H0);
  const outer = Int32Array.from(H0);
  const pad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) pad[i] = (k[i] as number) ^ 0x36;
  loadBlock(pad, 0);
  compress(inner);
  for (let i = 0; i < 64; i++) pad[i] = (k[i] as number) ^ 0x5c;
  loadBlock(pad, 0);
  compress(outer);
  const state = new Int32Array(8);
  const out = new Int32Array(8);
  return (data, length = data.length) => {
    state.set(inner);
    finish(state, 64, data, length);
    // The outer hash absorbs the 32-byte inner digest: one block, padded in place.
    W.set(state, 0);
    W[8] = 0x80000000 | 0;
    W.fill(0, 9, 15);
    W[15] = (64 + 32) * 8;
    out.set(outer);
    compress(out);
    return out;
  };
}

/** The MAC words as bytes. */
export function macBytes(words: Int32Array): Uint8Array {
  return wordsToBytes(words);
}

const hexScratch = Buffer.alloc(32);

/** The first `chars` lower-case hex characters of the MAC words (chars ≤ 64). */
export function macHex(words: Int32Array, chars: number): string {
  // Buffer's native hex encoder beats building the string in JS several times over.
  for (let i = 0; i < 8; i++) hexScratch.writeInt32BE(words[i] as number, i * 4);
  const hex = hexScratch.toString('hex', 0, Math.ceil(chars / 2));
  return hex.length === chars ? hex : hex.slice(0, chars);
}
