import { InputError } from '@waggle/errors';
import { keyedHmacSha256, macBytes, macHex, type KeyedHmac } from './hmac-sha256-core.js';

/** Options of {@link hmacPseudonym}. */
export interface HmacPseudonymOptions {
  /** Hex characters kept, 16 to 64 (default 64, the whole MAC). */
  readonly length?: number | undefined;
  /** Text put before the hex, e.g. `user-`. */
  readonly prefix?: string | undefined;
}

// The keyed states are computed once per key array; a WeakMap lets unused keys
// go. A key array is treated as immutable once used (later changes to its
// bytes are not seen).
const keyed = new WeakMap<Uint8Array, KeyedHmac>();

function macFor(key: Uint8Array): KeyedHmac {
  if (!(key instanceof Uint8Array)) throw new InputError('an HMAC key must be bytes (Uint8Array)', { field: 'key' });
  let mac = keyed.get(key);
  if (mac === undefined) {
    if (key.length === 0) throw new InputError('an HMAC key must not be empty', { field: 'key' });
    mac = keyedHmacSha256(key);
    keyed.set(key, mac);
  }
  return mac;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** UTF-8 of `text` in a reused buffer; returns the byte count. */
function utf8(text: string): number {
  // Three bytes per UTF-16 unit is the most UTF-8 can need.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written;
}

/** HMAC-SHA-256 (RFC 2104, FIPS 180-4) of `data` (strings as UTF-8) under `key`. */
export function hmacSha256(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  const mac = macFor(key);
  if (typeof data === 'string') {
    const n = utf8(data); // may replace `scratch`, so it runs first
    return macBytes(mac(scratch, n));
  }
  if (!(data instanceof Uint8Array)) throw new InputError('HMAC data must be bytes or a string', { field: 'data' });
  return macBytes(mac(data));
}

/**
 * A keyed pseudonym: lower-case hex of HMAC-SHA-256(key, value) truncated to
 * `length` hex characters (default 64, minimum 16 = 64 bits, so collisions stay
 * unlikely in any realistic data set), after an optional prefix. The same key
 * and value always give the same pseudonym; without the key it cannot be
 * reversed or recomputed from a dictionary of likely values.
 *
 * @throws InputError on an empty key or a length outside 16..64.
 */
export function hmacPseudonym(key: Uint8Array, value: string, options: HmacPseudonymOptions = {}): string {
  const length = options.length ?? 64;
  if (!Number.isInteger(length) || length < 16 || length > 64) throw new InputError(`the pseudonym length must be 16 to 64 hex characters, got ${String(length)}`, { field: 'length' });
  if (typeof value !== 'string') throw new InputError('the value to pseudonymise must be a string', { field: 'value' });
  const mac = macFor(key);
  const n = utf8(value); // may replace `scratch`, so it runs first
  const hex = macHex(mac(scratch, n), length);
  return options.prefix === undefined ? hex : options.prefix + hex;
}
