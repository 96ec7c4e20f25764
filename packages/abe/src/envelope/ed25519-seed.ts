import { createPrivateKey, type KeyObject } from 'node:crypto';
import { InputError } from '@waggle/errors';

// PKCS#8 prefix of an Ed25519 private key (RFC 8410); the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 private key from its 32-byte seed (RFC 8032), e.g. for reproducible test vectors. */
export function ed25519KeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new InputError(`Ed25519 seed: expected 32 bytes, got ${seed.length}`, { field: 'seed' });
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}
