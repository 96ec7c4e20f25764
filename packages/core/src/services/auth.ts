import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, MaintenanceError } from '@waggle/errors';
import { isIpAllowed } from '../access/allowed-ips.js';
import { viewerOf, type Principal } from '../access/principal.js';
import type { AuthKeyRecord } from '../model/records.js';
import type { New, Repositories } from '../ports/store.js';
import type { CoreDeps } from './deps.js';

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A new random 40-character API key (MISP's format). */
export function generateAuthKey(): string {
  const bytes = randomBytes(40);
  let out = '';
  // 256 % 62 != 0: reject high bytes to keep the alphabet uniform.
  for (let i = 0; out.length < 40; i++) {
    const b = i < bytes.length ? (bytes[i] as number) : (randomBytes(1)[0] as number);
    if (b < 248) out += KEY_ALPHABET[b % 62];
  }
  return out;
}

/** Whether a string has the shape of a MISP API key. */
export function isAuthKeyShape(key: string): boolean {
  return /^[a-zA-Z0-9]{40}$/.test(key);
}

/** SHA-256 of a key; keys carry 238 bits of entropy, so a slow hash adds nothing (ADR 0003). */
export function hashAuthKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The stored form of a raw key for a user. */
export function authKeyRecord(raw: string, userId: number, now: number, uuid: string, extra: Partial<New<AuthKeyRecord>> = {}): New<AuthKeyRecord> {
  return {
    uuid,
    authkey_hash: hashAuthKey(raw),
    authkey_start: raw.slice(0, 4),
    authkey_end: raw.slice(-4),
    user_id: userId,
    created: now,
    expiration: 0,
    read_only: false,
    comment: '',
    allowed_ips: '',
    ...extra,
  };
}

/**
 * Resolves a raw key to a principal. Results are cached briefly so that each request costs no extra queries.
 * With the server settings, a key is refused while the instance is not live (`MISP.live` off) unless
 * it is a site admin's, as MISP does; without them (tests of keys alone) the instance counts as live.
 */
export function createAuthService(deps: Pick<CoreDeps, 'store' | 'clock'> & Partial<Pick<CoreDeps, 'settings'>>, options: { cacheSeconds?: number } = {}) {
  const ttl = options.cacheSeconds ?? 5;
  const cache = new Map<string, { principal: Principal; until: number }>();

  async function load(repos: Repositories, raw: string, ip: string): Promise<Principal> {
    const now = deps.clock.now();
    const hash = Buffer.from(hashAuthKey(raw), 'hex');
    const candidates = await repos.findAuthKeys(raw.slice(0, 4), raw.slice(-4));
    const key = candidates.find((k) => {
      const h = Buffer.from(k.authkey_hash, 'hex');
      return h.length === hash.length && timingSafeEqual(h, hash);
    });
    if (key === undefined || (key.expiration !== 0 && key.expiration < now)) throw new AuthenticationError();
    if (key.allowed_ips !== '' && !isIpAllowed(ip, key.allowed_ips.split(','))) throw new AuthenticationError();
    const user = await repos.getUser(key.user_id);
    if (user === undefined || user.disabled || (user.expiration !== null && user.expiration !== 0 && user.expiration < now)) throw new AuthenticationError();
    const role = await repos.getRole(user.role_id);
    const org = await repos.getOrganisation(user.org_id);
    if (role === undefined || org === undefined) throw new AuthenticationError();
    const sgs = await repos.sharingGroupIdsForOrg(org.id);
    return { user, role, org, viewer: viewerOf(user, role, sgs), readOnly: key.read_only, ip };
  }

  async function resolve(raw: string | undefined, ip: string): Promise<Principal> {
    const key = (raw ?? '').trim();
    if (!isAuthKeyShape(key)) throw new AuthenticationError();
    const now = deps.clock.now();
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > now && hit.principal.ip === ip) return hit.principal;
    const principal = await deps.store.read((repos) => load(repos, key, ip));
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { principal, until: now + ttl });
    return principal;
  }

  /** MISP's AppController: while `MISP.live` is off only site admins get in; the others read the maintenance message. */
  async function requireLive(p: Principal): Promise<void> {
    if (deps.settings === undefined || p.role.perm_site_admin) return;
    const settings = await deps.settings.current();
    if (!settings.live) throw new MaintenanceError(settings.maintenanceMessage);
  }

  return {
    /** The principal behind a raw key, or an authentication error (a maintenance error while the instance is not live). */
    async authenticate(raw: string | undefined, ip: string): Promise<Principal> {
      const principal = await resolve(raw, ip);
      await requireLive(principal);
      return principal;
    },
    /** The principal of a user given by id or e-mail (for the command line, which acts without a key). */
    async principalFor(userRef: number | string, ip = 'cli'): Promise<Principal> {
      return deps.store.read(async (repos) => {
        const user = await repos.getUser(userRef);
        if (user === undefined) throw new AuthenticationError(`No user ${String(userRef)}`);
        const role = await repos.getRole(user.role_id);
        const org = await repos.getOrganisation(user.org_id);
        if (role === undefined || org === undefined) throw new AuthenticationError(`User ${String(userRef)} has no valid role or organisation`);
        const sgs = await repos.sharingGroupIdsForOrg(org.id);
        return { user, role, org, viewer: viewerOf(user, role, sgs), readOnly: false, ip };
      });
    },
    /** Forgets cached principals (after a change of users, roles, keys or sharing groups). */
    invalidate(): void {
      cache.clear();
    },
  };
}

/** The auth service's type. */
export type AuthService = ReturnType<typeof createAuthService>;
