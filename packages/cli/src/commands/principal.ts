import { NotFoundError } from '@waggle/errors';
import type { Principal } from '@waggle/core';
import type { Runtime } from '../runtime.js';

/** The first site administrator: command-line operations act as this user. */
export async function adminPrincipal(rt: Runtime): Promise<Principal> {
  const admin = await rt.store.read(async (repos) => {
    const roles = (await repos.listRoles()).filter((r) => r.perm_site_admin).map((r) => r.id);
    return (await repos.listUsers()).find((u) => roles.includes(u.role_id) && !u.disabled);
  });
  if (admin === undefined) throw new NotFoundError('No site administrator yet: run `waggle up` once to create one.');
  return rt.services.auth.principalFor(admin.id);
}
