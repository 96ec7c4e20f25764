/**
 * Test wiring for the administration services over a real store: a bootstrapped
 * site admin, helpers to create organisations and users, and principals obtained
 * through the real auth service (so keys are exercised end to end).
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../access/principal.js';
import type { Store } from '../../../ports/store.js';
import { createAuthService } from '../../auth.js';
import { bootstrapAdmin } from '../../bootstrap.js';
import { createAuthKeyService } from '../auth-keys.js';
import { createOrganisationService } from '../organisations.js';
import { createRoleService } from '../roles.js';
import { createSharingGroupService } from '../sharing-groups.js';
import { createUserService } from '../users.js';

/** Default role ids (MISP's order). */
export const ROLE = { admin: 1, orgAdmin: 2, user: 3, publisher: 4, sync: 5, readOnly: 6 } as const;

/** Everything a service test needs. */
export async function adminFixture(store: Store) {
  let now = 1_700_000_000;
  const clock = { now: () => now };
  const ids = { uuid: () => randomUUID() };
  const auth = createAuthService({ store, clock });
  let changes = 0;
  const options = {
    onChange: () => {
      changes += 1;
      auth.invalidate();
    },
  };
  const deps = { store, clock, ids };
  const services = {
    organisations: createOrganisationService(deps, options),
    users: createUserService(deps, options),
    roles: createRoleService(deps, options),
    authKeys: createAuthKeyService(deps, options),
    sharingGroups: createSharingGroupService(deps, options),
  };
  const boot = await bootstrapAdmin(deps, { orgName: 'Host Org', email: 'admin@host.test' });
  const login = (key: string, ip = '127.0.0.1'): Promise<Principal> => auth.authenticate(key, ip);
  const admin = await login(boot.authKey as string);

  /** Creates an organisation (as the site admin) and returns its id. */
  async function org(name: string): Promise<number> {
    return Number((await services.organisations.add(admin, { name })).id);
  }

  /** Creates a user (as `by`, default the site admin) and returns its id, key and principal. */
  async function user(email: string, orgId: number, roleId: number = ROLE.user, by: Principal = admin) {
    const created = (await services.users.add(by, { email, org_id: orgId, role_id: roleId })).User as Record<string, string>;
    const key = created.authkey as string;
    return { id: Number(created.id), key, principal: await login(key) };
  }

  return {
    store, clock, auth, services, boot, admin, login, org, user,
    /** How often onChange ran. */
    changes: () => changes,
    /** Moves the clock forward. */
    tick: (seconds = 1) => {
      now += seconds;
    },
  };
}

/** The fixture's type. */
export type AdminFixture = Awaited<ReturnType<typeof adminFixture>>;
