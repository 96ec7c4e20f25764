import { randomInt } from 'node:crypto';
import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import { ACL_DENIED } from '../../access/permissions.js';
import type { RoleRecord, UserRecord } from '../../model/records.js';
import type { Patch, Ref, Repositories } from '../../ports/store.js';
import { orgSummaryJson, type MispJson } from '../../views/misp-json.js';
import { audit } from '../audit.js';
import { authKeyRecord, generateAuthKey } from '../auth.js';
import type { CoreDeps } from '../deps.js';
import { canAdministerUser, canSeeUser, requireWritable, userByRef } from './admin-lookups.js';
import { notifyChange, type AdminServiceOptions } from './admin-options.js';
import { checkPasswordPolicy, hashPassword } from './password.js';
import { roleJson } from './role-json.js';
import { userJson } from './user-json.js';
import { userSettingValues } from './user-settings.js';
import type { UserInput } from './user-input.js';

/** Filters of the user list (`admin/users/index/value:…/searchorg:…`). */
export interface UserListOptions {
  /** Case-insensitive substring of the e-mail address. */
  readonly search?: string;
  readonly orgId?: number;
}

/** Fields users may change on their own account (MISP's self-edit field list). */
const SELF_EDITABLE = ['autoalert', 'contactalert', 'gpgkey', 'certif_public', 'nids_sid', 'termsaccepted'] as const;

/** The role a principal may give: it must exist, and only site admins hand out site-admin roles. */
async function assignableRole(repos: Repositories, p: Principal, roleId: number | undefined): Promise<RoleRecord> {
  const role = roleId !== undefined ? await repos.getRole(roleId) : (await repos.listRoles()).find((r) => r.default_role);
  if (role === undefined) throw new InputError(roleId === undefined ? 'User.role_id is required (no default role is set)' : 'User.role_id names no role', { field: 'User.role_id' });
  if (!p.role.perm_site_admin && (role.perm_site_admin || role.restricted_to_site_admin)) {
    throw new ForbiddenError('Only site administrators can give this role.');
  }
  return role;
}

/** The organisation a principal may put a user in: org admins only their own. */
async function assignableOrg(repos: Repositories, p: Principal, orgId: number | undefined): Promise<number> {
  const id = orgId ?? p.org.id;
  if (!p.role.perm_site_admin && id !== p.org.id) throw new ForbiddenError('Organisation admins can only manage users of their own organisation.');
  if ((await repos.getOrganisation(id)) === undefined) throw new InputError('User.org_id names no organisation', { field: 'User.org_id' });
  return id;
}

async function emailFree(repos: Repositories, email: string, selfId?: number): Promise<void> {
  const same = await repos.getUser(email);
  if (same !== undefined && same.id !== selfId && same.email.toLowerCase() === email.toLowerCase()) {
    throw new InputError(`A user with the e-mail address ${email} already exists`, { field: 'User.email' });
  }
}

/** What an audit entry may say about a user change (never the password). */
function auditable(input: UserInput): Record<string, unknown> {
  const { password, ...rest } = input;
  return password === undefined ? rest : { ...rest, password: '(changed)' };
}

/** User use cases: list, view (incl. `me`), add (with a first auth key), edit, delete, change password. */
export function createUserService(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, options: AdminServiceOptions = {}) {
  const { store, clock } = deps;

  async function visibleUser(repos: Repositories, p: Principal, ref: Ref): Promise<UserRecord> {
    const user = await userByRef(repos, p, ref);
    if (!canSeeUser(p, user)) throw new NotFoundError('Invalid user.');
    return user;
  }

  async function administered(repos: Repositories, p: Principal, ref: Ref, action: string): Promise<UserRecord> {
    const user = await visibleUser(repos, p, ref);
    if (!canAdministerUser(p, user, await repos.getRole(user.role_id))) throw new ForbiddenError(`You do not have permission to ${action} this user.`);
    return user;
  }

  return {
    /** Users the principal administers: all for site admins, their org's for org admins. */
    async list(p: Principal, opts: UserListOptions = {}): Promise<MispJson[]> {
      if (!p.role.perm_site_admin && !p.role.perm_admin) throw new ForbiddenError(ACL_DENIED);
      const orgId = p.role.perm_site_admin ? opts.orgId : p.org.id;
      return store.read(async (repos) => {
        const users = await repos.listUsers(orgId === undefined ? {} : { orgId });
        const roles = new Map((await repos.listRoles()).map((r) => [r.id, r]));
        const orgs = new Map((await repos.listOrganisations()).map((o) => [o.id, o]));
        const needle = opts.search?.toLowerCase();
        return users
          .filter((u) => needle === undefined || u.email.toLowerCase().includes(needle))
          .map((u) => {
            const role = roles.get(u.role_id);
            return { User: userJson(u), Role: role === undefined ? {} : roleJson(role), Organisation: orgSummaryJson(orgs.get(u.org_id), u.org_id) };
          });
      });
    },

    /** `{User, Role, UserSetting, Organisation}` of a user (`me` = the caller), read fresh from the store. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const user = await visibleUser(repos, p, ref);
        const role = await repos.getRole(user.role_id);
        const org = await repos.getOrganisation(user.org_id);
        return {
          User: userJson(user),
          Role: role === undefined ? {} : roleJson(role),
          UserSetting: await userSettingValues(repos, p, user.id),
          Organisation: orgSummaryJson(org, user.org_id),
        };
      });
    },

    /** Whether the user exists and the principal may see it (HEAD). */
    async exists(p: Principal, ref: Ref): Promise<boolean> {
      return store.read(async (repos) => {
        const user = await repos.getUser(ref === 'me' ? p.user.id : ref);
        return user !== undefined && canSeeUser(p, user);
      });
    },

    /**
     * Creates a user and a first auth key, whose clear text is returned in
     * `User.authkey` (as MISP does with advanced auth keys). Site admins add users
     * anywhere; org admins only in their own organisation.
     */
    async add(p: Principal, input: UserInput): Promise<MispJson> {
      requireWritable(p, 'add users');
      if (!p.role.perm_site_admin && !p.role.perm_admin) throw new ForbiddenError(ACL_DENIED);
      if (input.email === undefined) throw new InputError('User.email is required', { field: 'User.email' });
      const email = input.email;
      if (input.password !== undefined) checkPasswordPolicy(input.password);
      const passwordHash = input.password === undefined ? '' : await hashPassword(input.password);
      const raw = generateAuthKey();
      const user = await store.write(async (repos) => {
        await emailFree(repos, email);
        const orgId = await assignableOrg(repos, p, input.org_id);
        const role = await assignableRole(repos, p, input.role_id);
        const now = clock.now();
        const created = await repos.insertUser({
          email, org_id: orgId, role_id: role.id, password_hash: passwordHash, disabled: input.disabled ?? false,
          autoalert: input.autoalert ?? false, contactalert: input.contactalert ?? true, termsaccepted: input.termsaccepted ?? false,
          change_pw: input.change_pw ?? false, nids_sid: input.nids_sid ?? randomInt(1_000_000, 10_000_000),
          gpgkey: input.gpgkey ?? '', certif_public: input.certif_public ?? '', expiration: input.expiration ?? null,
          invited_by: p.user.id, date_created: now, date_modified: now, last_login: 0, current_login: 0,
        });
        const key = await repos.insertAuthKey(authKeyRecord(raw, created.id, now, deps.ids.uuid(), { comment: 'Created with the user' }));
        await audit(repos, p, now, { action: 'add', model: 'User', modelId: created.id, title: created.email, change: auditable(input) });
        await audit(repos, p, now, { action: 'add', model: 'AuthKey', modelId: key.id, title: `${key.authkey_start}…${key.authkey_end} for ${created.email}` });
        return created;
      });
      notifyChange(options);
      return { User: { ...userJson(user), authkey: raw } };
    },

    /**
     * Changes a user. Administrators (site admins; org admins within their org)
     * change any field; users editing themselves change only their own settings
     * and password, other fields are ignored as MISP does.
     */
    async edit(p: Principal, ref: Ref, input: UserInput): Promise<MispJson> {
      requireWritable(p, 'edit users');
      if (input.password !== undefined) checkPasswordPolicy(input.password);
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      const user = await store.write(async (repos) => {
        const current = await visibleUser(repos, p, ref);
        const admin = canAdministerUser(p, current, await repos.getRole(current.role_id));
        if (!admin && current.id !== p.user.id) throw new ForbiddenError('You do not have permission to edit this user.');
        const now = clock.now();
        const patch: Patch<UserRecord> = { date_modified: now };
        if (admin) {
          const { password: _password, ...fields } = input;
          Object.assign(patch, fields);
          if (input.email !== undefined) await emailFree(repos, input.email, current.id);
          if (input.org_id !== undefined && input.org_id !== current.org_id) patch.org_id = await assignableOrg(repos, p, input.org_id);
          if (input.role_id !== undefined && input.role_id !== current.role_id) patch.role_id = (await assignableRole(repos, p, input.role_id)).id;
          if (current.id === p.user.id && input.disabled === true) throw new ForbiddenError('You cannot disable your own account.');
        } else {
          for (const k of SELF_EDITABLE) if (input[k] !== undefined) Object.assign(patch, { [k]: input[k] });
        }
        if (passwordHash !== undefined) patch.password_hash = passwordHash;
        const updated = await repos.updateUser(current.id, patch);
        await audit(repos, p, now, { action: 'edit', model: 'User', modelId: current.id, title: updated.email, change: auditable(input) });
        return updated;
      });
      notifyChange(options);
      return { User: userJson(user) };
    },

    /** Sets the caller's own password (`users/change_pw`). */
    async changePassword(p: Principal, password: string): Promise<void> {
      requireWritable(p, 'change the password');
      checkPasswordPolicy(password, 'password');
      const hash = await hashPassword(password);
      await store.write(async (repos) => {
        const now = clock.now();
        await repos.updateUser(p.user.id, { password_hash: hash, change_pw: false, date_modified: now });
        await audit(repos, p, now, { action: 'change_pw', model: 'User', modelId: p.user.id, title: p.user.email });
      });
    },

    /** Deletes a user and their auth keys. Nobody deletes their own account. */
    async delete(p: Principal, ref: Ref): Promise<UserRecord> {
      requireWritable(p, 'delete users');
      const user = await store.write(async (repos) => {
        const current = await administered(repos, p, ref, 'delete');
        if (current.id === p.user.id) throw new ForbiddenError('You cannot delete your own account.');
        await repos.deleteUser(current.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'User', modelId: current.id, title: current.email });
        return current;
      });
      notifyChange(options);
      return user;
    },
  };
}

/** The user service's type. */
export type UserService = ReturnType<typeof createUserService>;
