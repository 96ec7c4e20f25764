import { createHash } from 'node:crypto';
import type { SecretKeyJson } from '@waggle/abe';

/** What the authority states about a key it issued; travels inside the key file. */
export interface Issuance {
  /** SHA-256 (hex) of the key material; the log records this, never the key. */
  readonly key_id: string;
  readonly subject: string;
  readonly org: string | null;
  readonly epoch: string;
  readonly issued_at: string;
  /** After this instant clients refuse to use the key (the end of the current epoch). */
  readonly expires_at: string;
}

/**
 * An issued key file: a `@waggle/abe` user key (so `waggle abe decrypt --key FILE` reads it)
 * with an `issuance` member added.
 */
export type IssuedKey = SecretKeyJson & { readonly issuance: Issuance };

/** The key id: SHA-256 over the key's attributes and group elements, as JSON. */
export function keyIdOf(key: SecretKeyJson): string {
  return createHash('sha256').update(JSON.stringify([key.attributes, key.k0, key.k, key.kp])).digest('hex');
}
