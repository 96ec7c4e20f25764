import { createHmac } from 'node:crypto';
import { InputError } from '@waggle/errors';
import { lengthPrefixed } from '../envelope/format.js';

/** Types whose values MISP compares case-insensitively in practice (names, hashes, addresses). */
const CASE_INSENSITIVE = /^(domain|hostname|email|email-src|email-dst|ip-src|ip-dst|md5|sha1|sha224|sha256|sha384|sha512|sha512\/224|sha512\/256|sha3-224|sha3-256|sha3-384|sha3-512|ssdeep|imphash|tlsh|ja3-fingerprint-md5|mac-address)$/;

/**
 * The value a blind token is computed over: trimmed, and lower-cased for types whose
 * values are case-insensitive, so two producers writing `Evil.example` and
 * `evil.example` get the same token. The type is left out on purpose: MISP correlates
 * `ip-src` with `ip-dst`, and so do tokens.
 */
export function normaliseForToken(type: string, value: string): string {
  const trimmed = value.trim();
  return CASE_INSENSITIVE.test(type) ? trimmed.toLowerCase() : trimmed;
}

/**
 * A blind correlation token: HMAC-SHA-256 under a community key the server never holds,
 * over the normalised value. Equal values give equal tokens inside one community; the
 * server can match tokens but cannot test a guessed value without the key.
 */
export function blindToken(communityKey: Uint8Array, type: string, value: string): string {
  if (communityKey.length < 16) throw new InputError('community key: at least 16 bytes are needed', { field: 'communityKey' });
  return createHmac('sha256', communityKey).update(lengthPrefixed(['waggle-blind-token/v1', normaliseForToken(type, value)])).digest('hex');
}
