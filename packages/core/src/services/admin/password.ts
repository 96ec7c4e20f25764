import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InputError } from '@waggle/errors';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/**
 * MISP's default password policy: at least 12 characters, and either 16 or more,
 * or a mix of upper case, lower case, and a digit or special character.
 */
export function checkPasswordPolicy(password: string, field = 'User.password'): void {
  const ok = password.length >= 12 && (password.length >= 16 || (/[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9\W_]/.test(password)));
  if (!ok) {
    throw new InputError('The password must be at least 12 characters long and contain upper and lower case letters and a digit or special character (or be at least 16 characters long)', { field });
  }
}

/** A salted scrypt hash: `$scrypt$N=…,r=…,p=…$<salt>$<hash>` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return `$scrypt$N=${PARAMS.N},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether the password matches a hash made by {@link hashPassword}; false for users without one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(stored);
  if (m === null) return false;
  const expected = Buffer.from(m[5] as string, 'base64');
  const key = await derive(password, Buffer.from(m[4] as string, 'base64'), { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
