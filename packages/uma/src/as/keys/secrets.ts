import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** A fresh random bearer value (256 bits, base64url). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/**
 * Hash of a high-entropy bearer value (client secret, PAT, ticket, PCT) for storage.
 * These values are random 256-bit strings, so a fast hash suffices; passwords use `hashPassword`.
 */
export const tokenHash = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Constant-time comparison of a presented high-entropy secret with its stored hash. */
export function tokenMatches(value: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash(value));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;

/** scrypt hash of a user password: `scrypt$<salt>$<hash>` (base64url). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32, SCRYPT).toString('base64url')}`;
}

/** Checks a password against `hashPassword` output in constant time. */
export function passwordMatches(password: string, stored: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, SCRYPT);
  return timingSafeEqual(actual, expected);
}
