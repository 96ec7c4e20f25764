import { createCipheriv, type Cipher } from 'node:crypto';
import { InputError } from '@waggle/errors';
import { formatIp, parseIp, parseIpv4Word } from './ip.js';

/** Prefix-preserving anonymisation of IP addresses (Crypto-PAn). */
export interface CryptoPan {
  /** Anonymises an IPv4 or IPv6 address; the result has the same version. */
  anonymize(ip: string): string;
  /** Anonymises an IPv4 address; refuses IPv6. */
  anonymizeIPv4(ip: string): string;
  /** Anonymises an IPv6 address (an IPv4-mapped one is treated as 128 bits); refuses IPv4. */
  anonymizeIPv6(ip: string): string;
  /**
   * Anonymises many addresses at once: the same results as `anonymize` on each,
   * but the AES blocks of up to 512 IPv4 addresses go to OpenSSL in one call,
   * which is where the per-address cost lies. Throws on the first bad address.
   */
  anonymizeMany(ips: readonly string[]): string[];
}

/** Options of {@link createCryptoPan}. */
export interface CryptoPanOptions {
  /**
   * Entries of each memo (IPv4 /24s and whole addresses: slots, rounded up to
   * a power of two, 9 bytes each; IPv6 /64s: most kept, at most 262,144); 0 turns every memo
   * off. Default 65,536, at most 2^24. The IPv4 /16 table (256 KiB) is
   * separate and on unless this is 0.
   */
  readonly cacheSize?: number | undefined;
}

const BLOCK = 16;
const MAX_IPV6_MEMO = 262_144;

/**
 * A direct-mapped memo from 32-bit keys to 32-bit values (-1 = miss): a slot
 * per hashed key, overwritten on collision. Fixed memory (`size` rounded up to
 * a power of two, 9 bytes a slot), no allocation per lookup.
 */
function directMappedMemo(size: number): { get(key: number): number; set(key: number, value: number): void } {
  const bits = Math.max(4, Math.ceil(Math.log2(size)));
  const keys = new Uint32Array(2 ** bits);
  const values = new Uint32Array(2 ** bits);
  const used = new Uint8Array(2 ** bits);
  const shift = 32 - bits;
  // Fibonacci hashing spreads neighbouring addresses over the table.
  const slot = (key: number): number => Math.imul(key, 0x9e3779b1) >>> shift;
  return {
    get(key) {
      const i = slot(key);
      return used[i] === 1 && keys[i] === key ? (values[i] as number) : -1;
    },
    set(key, value) {
      const i = slot(key);
      keys[i] = key;
      values[i] = value;
      used[i] = 1;
    },
  };
}

/**
 * A bounded memo that forgets its oldest entry when full. Insertion order is
 * Map's own, so eviction is O(1) and needs no bookkeeping.
 */
function boundedMemo<K, V>(limit: number): { get(key: K): V | undefined; set(key: K, value: V): void } {
  const map = new Map<K, V>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => {
      if (map.size >= limit) map.delete(map.keys().next().value as K);
      map.set(key, value);
    },
  };
}

/**
 * Creates a Crypto-PAn anonymiser (Xu, Fan, Ammar, Moon) with a 32-byte key,
 * laid out as in Jinliang Fan's reference implementation: bytes 0–15 are the
 * AES-128 key, bytes 16–31 encrypted under it give the pad. Bit i of the
 * output is bit i of the input XOR the top bit of AES(first i input bits
 * followed by the pad's remaining bits), so two addresses sharing a k-bit
 * prefix share exactly a k-bit prefix afterwards. IPv6 uses the same
 * construction over 128 bits, as the Go, Python (yacryptopan) and C#
 * implementations do.
 *
 * Because output bit i depends only on the first i input bits, the pad
 * outcomes of a prefix can be memoised: the first 16 bits of IPv4 in a
 * 65,536-entry table, bits 16–23 per /24 (and whole IPv4 results) in
 * direct-mapped tables, the first 64 bits of IPv6 per /64 in a bounded memo
 * (`cacheSize`). All AES blocks still needed for one address go to OpenSSL in
 * a single ECB call, whose fixed cost dominates; so a repeated address, which
 * needs none, is the biggest win.
 *
 * @throws InputError when the key is not 32 bytes or `cacheSize` is not a whole number in 0..2^24.
 */
export function createCryptoPan(key: Uint8Array, options: CryptoPanOptions = {}): CryptoPan {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new InputError(`a Crypto-PAn key is 32 bytes (AES-128 key and pad seed), got ${key instanceof Uint8Array ? key.length : typeof key}`, { field: 'key' });
  }
  const cacheSize = options.cacheSize ?? 65_536;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0 || cacheSize > 2 ** 24) throw new InputError(`cacheSize must be a whole number from 0 to 2^24, got ${String(cacheSize)}`, { field: 'cacheSize' });

  // One ECB cipher for the instance: the key schedule is expanded once and
  // each update() encrypts independent blocks (ECB keeps no chaining state).
  const ecb: Cipher = createCipheriv('aes-128-ecb', key.subarray(0, 16), null);
  ecb.setAutoPadding(false);
  const pad = Uint8Array.from(ecb.update(key.subarray(16, 32)));
  const padWord = (((pad[0] as number) << 24) | ((pad[1] as number) << 16) | ((pad[2] as number) << 8) | (pad[3] as number)) >>> 0;

  // Slot i of these buffers always holds block i: the pad with its first i
  // bits replaced by the address's. Only the bytes holding those bits are
  // rewritten, so the pad bytes after them stay intact between calls.
  const v4Blocks = Buffer.alloc(32 * BLOCK);
  const v6Blocks = Buffer.alloc(128 * BLOCK);
  for (let i = 0; i < 32; i++) v4Blocks.set(pad, i * BLOCK);
  for (let i = 0; i < 128; i++) v6Blocks.set(pad, i * BLOCK);

  /** Pad-outcome bits [from, to) of a 32-bit address, as a 32-bit word holding them in place. */
  const v4Bits = (addr: number, from: number, to: number): number => {
    for (let i = from; i < to; i++) {
      const mask = i === 0 ? 0 : (0xffffffff << (32 - i)) >>> 0;
      v4Blocks.writeUInt32BE(((addr & mask) | (padWord & ~mask)) >>> 0, i * BLOCK);
    }
    const out = ecb.update(v4Blocks.subarray(from * BLOCK, to * BLOCK));
    let bits = 0;
    for (let i = from; i < to; i++) bits |= ((out[(i - from) * BLOCK] as number) >> 7) << (31 - i);
    return bits >>> 0;
  };

  const enabled = cacheSize > 0;
  // -1 marks "not computed yet"; the 16 bits of a /16 fit easily otherwise.
  const high16 = enabled ? new Int32Array(65_536).fill(-1) : undefined;
  const mid8 = enabled ? directMappedMemo(cacheSize) : undefined;
  // Whole addresses too: threat data repeats the same addresses often, and a
  // hit then needs no AES call at all (the native call dominates the cost).
  const whole = enabled ? directMappedMemo(cacheSize) : undefined;

  const otpV4 = (addr: number): number => {
    if (high16 === undefined || mid8 === undefined) return v4Bits(addr, 0, 32);
    const top = addr >>> 16;
    const slash24 = addr >>> 8;
    const hi = high16[top] as number;
    const mid = mid8.get(slash24);
    if (hi !== -1 && mid !== -1) return (hi | mid | v4Bits(addr, 24, 32)) >>> 0;
    // One OpenSSL call from the first bit not memoised to the end. A stored
    // /16 value has its low 16 bits clear, so it can never equal the -1 marker.
    const bits = v4Bits(addr, hi === -1 ? 0 : 16, 32);
    const high = hi === -1 ? bits & 0xffff0000 : hi;
    if (hi === -1) high16[top] = high;
    mid8.set(slash24, bits & 0xff00);
    return (high | (bits & 0xffff)) >>> 0;
  };

  /** Pad-outcome bits [from, to) of a 128-bit address, set into `otp`. */
  const v6Bits = (addr: Uint8Array, from: number, to: number, otp: Uint8Array): void => {
    for (let i = from; i < to; i++) {
      const at = i * BLOCK;
      const full = i >> 3; // bytes wholly taken from the address
      for (let j = 0; j < full; j++) v6Blocks[at + j] = addr[j] as number;
      if (full < 16) {
        const keep = (0xff00 >> (i & 7)) & 0xff;
        v6Blocks[at + full] = ((addr[full] as number) & keep) | ((pad[full] as number) & ~keep & 0xff);
      }
    }
    const out = ecb.update(v6Blocks.subarray(from * BLOCK, to * BLOCK));
    for (let i = from; i < to; i++) {
      if (((out[(i - from) * BLOCK] as number) & 0x80) !== 0) otp[i >> 3] = (otp[i >> 3] as number) | (0x80 >> (i & 7));
    }
  };

  // Map entries cost far more than table slots, so this memo is capped lower.
  const high64 = enabled ? boundedMemo<string, Uint8Array>(Math.min(cacheSize, MAX_IPV6_MEMO)) : undefined;

  const otpV6 = (addr: Uint8Array): Uint8Array => {
    const otp = new Uint8Array(16);
    if (high64 === undefined) {
      v6Bits(addr, 0, 128, otp);
      return otp;
    }
    const prefix = Buffer.from(addr.buffer, addr.byteOffset, 8).toString('latin1');
    const known = high64.get(prefix);
    if (known === undefined) {
      v6Bits(addr, 0, 64, otp);
      high64.set(prefix, otp.slice(0, 8));
    } else otp.set(known);
    v6Bits(addr, 64, 128, otp);
    return otp;
  };

  const v4 = (addr: number): string => {
    let out = whole?.get(addr) ?? -1;
    if (out === -1) {
      out = (addr ^ otpV4(addr)) >>> 0;
      whole?.set(addr, out);
    }
    return `${out >>> 24}.${(out >>> 16) & 0xff}.${(out >>> 8) & 0xff}.${out & 0xff}`;
  };

  // Batches: every block an IPv4 address needs depends only on the address and the pad,
  // so the blocks of many addresses can be encrypted together.
  const CHUNK = 512;
  const batchBlocks = Buffer.alloc(CHUNK * 32 * BLOCK);
  for (let i = 0; i < CHUNK * 32; i++) batchBlocks.set(pad, i * BLOCK);

  /** The anonymised words of `words` (unsigned 32-bit), in order. */
  const v4Batch = (words: readonly number[]): number[] => {
    const out = new Array<number>(words.length);
    for (let start = 0; start < words.length; start += CHUNK) {
      const end = Math.min(words.length, start + CHUNK);
      // Per pending address: its index, first bit to compute, and where its blocks start.
      const pending: { at: number; from: number; slot: number; hi: number; mid: number }[] = [];
      let slots = 0;
      for (let k = start; k < end; k++) {
        const addr = words[k] as number;
        const hit = whole?.get(addr) ?? -1;
        if (hit !== -1) {
          out[k] = hit;
          continue;
        }
        const hi = high16 === undefined ? -1 : (high16[addr >>> 16] as number);
        const mid = mid8 === undefined ? -1 : mid8.get(addr >>> 8);
        const from = hi !== -1 && mid !== -1 ? 24 : hi !== -1 ? 16 : 0;
        pending.push({ at: k, from, slot: slots, hi, mid });
        for (let i = from; i < 32; i++) {
          const mask = i === 0 ? 0 : (0xffffffff << (32 - i)) >>> 0;
          batchBlocks.writeUInt32BE(((addr & mask) | (padWord & ~mask)) >>> 0, (slots + i - from) * BLOCK);
        }
        slots += 32 - from;
      }
      if (slots === 0) continue;
      const enc = ecb.update(batchBlocks.subarray(0, slots * BLOCK));
      for (const p of pending) {
        const addr = words[p.at] as number;
        let bits = 0;
        for (let i = p.from; i < 32; i++) bits |= ((enc[(p.slot + i - p.from) * BLOCK] as number) >> 7) << (31 - i);
        bits >>>= 0;
        // The memoised parts read when the address was queued (a later address of
        // the chunk may have overwritten a direct-mapped slot since), then the
        // memos are updated exactly as the one-address path does.
        let otp = bits;
        if (p.from >= 16) otp = (otp | p.hi) >>> 0;
        if (p.from === 24) otp = (otp | p.mid) >>> 0;
        if (high16 !== undefined && mid8 !== undefined) {
          if (p.from === 0 && high16[addr >>> 16] === -1) high16[addr >>> 16] = bits & 0xffff0000;
          if (p.from < 24) mid8.set(addr >>> 8, bits & 0xff00);
        }
        const result = (addr ^ otp) >>> 0;
        whole?.set(addr, result);
        out[p.at] = result;
      }
    }
    return out;
  };

  const v6 = (bytes: Uint8Array): string => {
    const otp = otpV6(bytes);
    for (let i = 0; i < 16; i++) otp[i] = (otp[i] as number) ^ (bytes[i] as number);
    return formatIp(6, otp);
  };

  const parseV6 = (ip: string): Uint8Array => {
    const parsed = parseIp(ip);
    if (parsed.version !== 6) throw new InputError(`"${ip}" is not an IPv6 address`, { field: 'ip' });
    return parsed.bytes;
  };

  return {
    anonymize(ip) {
      // The IPv4 fast path skips building a byte array; anything else goes
      // through parseIp, which also words the error.
      const word = typeof ip === 'string' ? parseIpv4Word(ip) : -1;
      if (word !== -1) return v4(word);
      return v6(parseV6(ip));
    },
    anonymizeIPv4(ip) {
      const word = typeof ip === 'string' ? parseIpv4Word(ip) : -1;
      if (word !== -1) return v4(word);
      parseIp(ip); // throws the parse error for non-addresses
      throw new InputError(`"${ip}" is not an IPv4 address`, { field: 'ip' });
    },
    anonymizeIPv6(ip) {
      return v6(parseV6(ip));
    },
    anonymizeMany(ips) {
      const words: number[] = [];
      const at: number[] = [];
      const out = new Array<string>(ips.length);
      ips.forEach((ip, k) => {
        const word = typeof ip === 'string' ? parseIpv4Word(ip) : -1;
        if (word === -1) out[k] = v6(parseV6(ip));
        else {
          words.push(word);
          at.push(k);
        }
      });
      const done = v4Batch(words);
      done.forEach((w, j) => {
        out[at[j] as number] = `${w >>> 24}.${(w >>> 16) & 0xff}.${(w >>> 8) & 0xff}.${w & 0xff}`;
      });
      return out;
    },
  };
}
