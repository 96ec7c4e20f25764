import { ForbiddenError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import { requirePermission } from '../../access/permissions.js';
import type { AuthKeyRecord, UserRecord } from '../../model/records.js';
import type { Patch, Ref, Repositories } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import { audit } from '../audit.js';
import { authKeyRecord, generateAuthKey } from '../auth.js';
import type { CoreDeps } from '../deps.js';
import { canAdministerUser, requireWritable, userByRef } from './admin-lookups.js';
import { notifyChange, type AdminServiceOptions } from './admin-options.js';
import type { AuthKeyInput } from './auth-key-input.js';
import { authKeyJson } from './user-json.js';

/** Whether the principal may see and manage the keys of this user: their own, their org's as org admin, all as site admin. */
async function managesKeysOf(repos: Repositories, p: Principal, user: UserRecord): Promise<boolean> {
  if (user.id === p.user.id || p.role.perm_site_admin) return true;
  // Read-only keys may still look at keys; writes are refused earlier by requireWritable.
  return p.role.perm_admin && canAdministerUser({ ...p, readOnly: false }, user, await repos.getRole(user.role_id));
}

const owner = (u: UserRecord | undefined, id: number): MispJson => ({ id: String(id), email: u?.email ?? '', org_id: String(u?.org_id ?? 0) });

function fields(input: AuthKeyInput): Patch<AuthKeyRecord> {
  const patch: Patch<AuthKeyRecord> = {};
  if (input.comment !== undefined) patch.comment = input.comment;
  if (input.expiration !== undefined) patch.expiration = input.expiration;
  if (input.read_only !== undefined) patch.read_only = input.read_only;
  if (input.allowed_ips !== undefined) patch.allowed_ips = input.allowed_ips.join(',');
  return patch;
}

/** Auth key use cases (MISP's AuthKeysController): add, list, view, edit, delete. */
export function createAuthKeyService(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, options: AdminServiceOptions = {}) {
  const { store, clock } = deps;

  async function visibleKey(repos: Repositories, p: Principal, ref: Ref): Promise<{ key: AuthKeyRecord; user: UserRecord | undefined }> {
    const key = await repos.getAuthKey(ref);
    const user = key === undefined ? undefined : await repos.getUser(key.user_id);
    if (key === undefined || (user === undefined ? !p.role.perm_site_admin : !(await managesKeysOf(repos, p, user)))) throw new NotFoundError('Invalid auth key.');
    return { key, user };
  }

  async function target(repos: Repositories, p: Principal, userRef: Ref): Promise<UserRecord> {
    const user = await userByRef(repos, p, userRef);
    if (user.id === p.user.id) {
      requirePermission(p, 'perm_auth', 'manage auth keys');
      return user;
    }
    if (!(await managesKeysOf(repos, p, user))) throw new ForbiddenError('You do not have permission to manage the auth keys of this user.');
    return user;
  }

  return {
    /** Creates a key for a user (`me` = the caller); the clear text is returned once, in `authkey_raw`. */
    async add(p: Principal, userRef: Ref, input: AuthKeyInput = {}): Promise<MispJson> {
      requireWritable(p, 'create auth keys');
      const raw = generateAuthKey();
      const key = await store.write(async (repos) => {
        const user = await target(repos, p, userRef);
        const now = clock.now();
        const created = await repos.insertAuthKey({ ...authKeyRecord(raw, user.id, now, deps.ids.uuid()), ...fields(input) });
        await audit(repos, p, now, { action: 'add', model: 'AuthKey', modelId: created.id, title: `${created.authkey_start}…${created.authkey_end} for ${user.email}` });
        return created;
      });
      notifyChange(options);
      return { AuthKey: authKeyJson(key, raw) };
    },

    /** Keys the principal manages, as `[{"AuthKey": {...}, "User": {...}}]`. */
    async list(p: Principal, opts: { userId?: number } = {}): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const filter = p.role.perm_site_admin ? {} : p.role.perm_admin ? { orgId: p.org.id } : { userId: p.user.id };
        const keys = await repos.listAuthKeys(opts.userId === undefined ? filter : { ...filter, userId: opts.userId });
        const users = new Map<number, UserRecord | undefined>();
        const out: MispJson[] = [];
        for (const k of keys) {
          if (!users.has(k.user_id)) users.set(k.user_id, await repos.getUser(k.user_id));
          const u = users.get(k.user_id);
          if (u !== undefined && !(await managesKeysOf(repos, p, u))) continue;
          out.push({ AuthKey: authKeyJson(k), User: owner(u, k.user_id) });
        }
        return out;
      });
    },

    /** One key (by id or UUID) with its owner. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const { key, user } = await visibleKey(repos, p, ref);
        return { AuthKey: authKeyJson(key), User: owner(user, key.user_id) };
      });
    },

    /** Revokes a key; it stops working as soon as the auth cache is invalidated. */
    async delete(p: Principal, ref: Ref): Promise<AuthKeyRecord> {
      requireWritable(p, 'delete auth keys');
      const key = await store.write(async (repos) => {
        const { key: current } = await visibleKey(repos, p, ref);
        await repos.deleteAuthKey(current.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'AuthKey', modelId: current.id, title: `${current.authkey_start}…${current.authkey_end}` });
        return current;
      });
      notifyChange(options);
      return key;
    },
  };
}

/** The auth key service's type. */
export type AuthKeyService = ReturnType<typeof createAuthKeyService>;
