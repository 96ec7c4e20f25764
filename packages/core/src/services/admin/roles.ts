import { ConflictError, InputError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import { requireSiteAdmin } from '../../access/permissions.js';
import type { RoleRecord } from '../../model/records.js';
import type { Patch, Ref, Repositories } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import { audit } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { roleByRef } from './admin-lookups.js';
import { notifyChange, type AdminServiceOptions } from './admin-options.js';
import { roleWith } from './default-roles.js';
import { levelFlags, roleJson } from './role-json.js';
import type { RoleInput } from './role-input.js';

async function nameFree(repos: Repositories, name: string, selfId?: number): Promise<void> {
  const folded = name.toLowerCase();
  if ((await repos.listRoles()).some((r) => r.id !== selfId && r.name.toLowerCase() === folded)) {
    throw new InputError(`A role named "${name}" already exists`, { field: 'Role.name' });
  }
}

/** The stored fields an input changes: explicit flags, then the level's four flags, then MISP's implications. */
function changes(input: RoleInput, base: Pick<RoleRecord, 'perm_site_admin'>): Patch<RoleRecord> {
  const { name, permission, flags, ...rest } = input;
  const patch: Patch<RoleRecord> = { ...rest, ...flags, ...(permission !== undefined ? levelFlags(permission) : {}) };
  if (name !== undefined) patch.name = name;
  // A site admin is an admin of their own organisation too.
  if (patch.perm_site_admin ?? base.perm_site_admin) patch.perm_admin = true;
  return patch;
}


/** Role use cases: list, view, add, edit, delete, set the default role (MISP's RolesController). */
export function createRoleService(deps: Pick<CoreDeps, 'store' | 'clock'>, options: AdminServiceOptions = {}) {
  const { store, clock } = deps;

  async function write<T>(p: Principal, action: string, fn: (repos: Repositories, now: number) => Promise<T>): Promise<T> {
    requireSiteAdmin(p, `${action} roles`);
    const result = await store.write((repos) => fn(repos, clock.now()));
    notifyChange(options);
    return result;
  }

  return {
    /** Every role, as `[{"Role": {...}}]`. */
    async list(_p: Principal): Promise<MispJson[]> {
      return store.read(async (repos) => (await repos.listRoles()).map((r) => ({ Role: roleJson(r) })));
    },

    /** One role by id (or name). */
    async view(_p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => roleJson(await roleByRef(repos, ref)));
    },

    /** Creates a role (site admins only); unspecified permissions are off, as MISP's `permission` "0". */
    async add(p: Principal, input: RoleInput): Promise<MispJson> {
      if (input.name === undefined) throw new InputError('Role.name is required', { field: 'Role.name' });
      const name = input.name;
      return write(p, 'add', async (repos, now) => {
        await nameFree(repos, name);
        const base = roleWith(name, now, []);
        const role = await repos.insertRole({ ...base, ...changes(input, base), name, default_role: false });
        await audit(repos, p, now, { action: 'add', model: 'Role', modelId: role.id, title: role.name, change: input });
        return roleJson(role);
      });
    },

    /** Changes a role (site admins only). */
    async edit(p: Principal, ref: Ref, input: RoleInput): Promise<MispJson> {
      return write(p, 'edit', async (repos, now) => {
        const current = await roleByRef(repos, ref);
        if (input.name !== undefined) await nameFree(repos, input.name, current.id);
        const role = await repos.updateRole(current.id, { ...changes(input, current), modified: now });
        await audit(repos, p, now, { action: 'edit', model: 'Role', modelId: role.id, title: role.name, change: input });
        return roleJson(role);
      });
    },

    /** Deletes a role that no user has and that is not the default (site admins only). */
    async delete(p: Principal, ref: Ref): Promise<RoleRecord> {
      return write(p, 'delete', async (repos, now) => {
        const role = await roleByRef(repos, ref);
        const users = (await repos.listUsers()).filter((u) => u.role_id === role.id).length;
        if (users > 0) throw new ConflictError(`The role is given to ${users} user(s); give them another role first.`);
        if (role.default_role) throw new ConflictError('The role is the default role; make another role the default first.');
        await repos.deleteRole(role.id);
        await audit(repos, p, now, { action: 'delete', model: 'Role', modelId: role.id, title: role.name });
        return role;
      });
    },

    /** Makes a role the one new users get (site admins only). */
    async setDefault(p: Principal, ref: Ref): Promise<RoleRecord> {
      return write(p, 'change', async (repos, now) => {
        const role = await roleByRef(repos, ref);
        for (const r of await repos.listRoles()) {
          if (r.default_role && r.id !== role.id) await repos.updateRole(r.id, { default_role: false, modified: now });
        }
        const updated = await repos.updateRole(role.id, { default_role: true, modified: now });
        await audit(repos, p, now, { action: 'set_default', model: 'Role', modelId: role.id, title: role.name });
        return updated;
      });
    },
  };
}

/** The role service's type. */
export type RoleService = ReturnType<typeof createRoleService>;
