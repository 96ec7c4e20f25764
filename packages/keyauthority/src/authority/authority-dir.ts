import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, ForbiddenError, InputError, NotFoundError, Secret } from '@waggle/errors';
import type { Fame, PublicKeyJson } from '@waggle/abe';
import { fameCodec } from '@waggle/abe';
import type { EpochPeriod } from '../epoch/epoch.js';
import type { AuthorityStore } from '../store/authority-store.js';
import { openSqliteAuthorityStore } from '../store/sqlite-authority-store.js';

/** File names inside an authority folder. */
export const AUTHORITY_FILES = { master: 'master-secret.json', public: 'public-params.json', store: 'authority.sqlite' } as const;

/** An opened authority folder. The master secret stays wrapped until key generation needs it. */
export interface AuthorityDir {
  readonly dir: string;
  readonly publicParams: PublicKeyJson;
  readonly masterSecret: Secret;
  readonly store: AuthorityStore;
  readonly epochPeriod: EpochPeriod;
  /** Constant-time check of an administrator token against the stored hash. */
  isAdminToken(token: string): boolean;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Creates an authority folder: runs the ABE setup, writes the master secret (mode 0600,
 * folder 0700) and the public parameters, creates the store and an administrator token.
 * Returns the token (shown once; only its SHA-256 is kept). Refuses to overwrite.
 */
export function initAuthorityDir(input: { dir: string; fame: Fame; epochPeriod: EpochPeriod }): { adminToken: Secret } {
  const master = join(input.dir, AUTHORITY_FILES.master);
  if (existsSync(master) || existsSync(join(input.dir, AUTHORITY_FILES.store))) throw new ConflictError(`${input.dir} already holds a key authority; use another folder`);
  mkdirSync(input.dir, { recursive: true, mode: 0o700 });
  const codec = fameCodec(input.fame.backend);
  const { publicKey, masterKey } = input.fame.setup();
  writeFileSync(master, `${JSON.stringify(codec.encodeMasterKey(masterKey))}\n`, { mode: 0o600, flag: 'wx' });
  writeFileSync(join(input.dir, AUTHORITY_FILES.public), `${JSON.stringify(codec.encodePublicKey(publicKey), null, 2)}\n`, { flag: 'wx' });
  const adminToken = randomBytes(32).toString('base64url');
  const store = openSqliteAuthorityStore(join(input.dir, AUTHORITY_FILES.store));
  try {
    store.setSetting('admin_token_sha256', sha256(adminToken).toString('hex'));
    store.setSetting('epoch_period', input.epochPeriod);
  } finally {
    store.close();
  }
  return { adminToken: new Secret(adminToken) };
}

/**
 * Opens an authority folder created by `initAuthorityDir`. Refuses a master secret file
 * that group or others can read (`chmod 600` it), so a copy with loose permissions is noticed.
 */
export function openAuthorityDir(dir: string): AuthorityDir {
  const master = join(dir, AUTHORITY_FILES.master);
  if (!existsSync(master)) throw new NotFoundError(`${dir} holds no key authority (run \`waggle keyauthority init --dir ${dir}\`)`);
  if ((statSync(master).mode & 0o077) !== 0) throw new ForbiddenError(`${master} is readable by group or others; run chmod 600 on it`);
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (cause) {
      throw new InputError(`${join(dir, file)}: unreadable or not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { field: file });
    }
  };
  const masterSecret = new Secret(JSON.stringify(read(AUTHORITY_FILES.master)));
  const publicParams = read(AUTHORITY_FILES.public) as PublicKeyJson;
  const store = openSqliteAuthorityStore(join(dir, AUTHORITY_FILES.store));
  const tokenHash = Buffer.from(store.setting('admin_token_sha256') ?? '', 'hex');
  const period = store.setting('epoch_period');
  return {
    dir, publicParams, masterSecret, store, epochPeriod: period === 'day' ? 'day' : 'month',
    isAdminToken: (token) => tokenHash.length === 32 && timingSafeEqual(sha256(token), tokenHash),
  };
}
