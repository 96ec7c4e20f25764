import { InputError } from '@waggle/errors';
import type { OrganisationRecord, UserRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';
import { authKeyRecord, generateAuthKey, isAuthKeyShape } from './auth.js';
import type { CoreDeps } from './deps.js';
import { defaultRoles } from './admin/default-roles.js';

/** What {@link bootstrapAdmin} needs. */
export interface BootstrapAdminOptions {
  /** Name of the host organisation (created local if missing). */
  readonly orgName: string;
  readonly email: string;
  /** A 40-character key to use (e.g. from WAGGLE_ADMIN_KEY); generated when absent. */
  readonly authKey?: string;
}

/** What {@link bootstrapAdmin} did. `authKey` is the clear key, only when a user was created. */
export interface BootstrapResult {
  readonly created: boolean;
  readonly org: OrganisationRecord;
  readonly user: UserRecord;
  readonly authKey?: string;
}

async function insertDefaultRoles(repos: Repositories, now: number): Promise<number> {
  if ((await repos.listRoles()).length > 0) return 0;
  const roles = defaultRoles(now);
  for (const role of roles) await repos.insertRole(role);
  return roles.length;
}

/** Creates MISP's six default roles when there are no roles at all. Returns how many were created. */
export async function ensureDefaults(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<number> {
  return deps.store.write((repos) => insertDefaultRoles(repos, deps.clock.now()));
}

/**
 * First start: when there are no users, creates the default roles (if missing),
 * the host organisation, a site-admin user and an auth key, in one transaction.
 * Idempotent: with users present it changes nothing and returns the first site admin.
 */
export async function bootstrapAdmin(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, options: BootstrapAdminOptions): Promise<BootstrapResult> {
  const given = options.authKey?.trim() ?? '';
  const raw = given === '' ? generateAuthKey() : given;
  if (!isAuthKeyShape(raw)) throw new InputError('The admin auth key must be 40 letters and digits', { field: 'authKey' });
  if (options.orgName.trim() === '') throw new InputError('The host organisation needs a name', { field: 'orgName' });
  if (!/^[^\s@]+@[^\s@]+$/.test(options.email)) throw new InputError('The admin e-mail address is not valid', { field: 'email' });
  return deps.store.write(async (repos) => {
    const now = deps.clock.now();
    await insertDefaultRoles(repos, now);
    const roles = await repos.listRoles();
    const users = await repos.listUsers();
    if (users.length > 0) {
      const admins = new Set(roles.filter((r) => r.perm_site_admin).map((r) => r.id));
      const user = users.find((u) => admins.has(u.role_id)) ?? (users[0] as UserRecord);
      const org = await repos.getOrganisation(user.org_id);
      if (org === undefined) throw new InputError(`User ${user.email} belongs to no organisation`, { field: 'org_id' });
      return { created: false, org, user };
    }
    const adminRole = roles.find((r) => r.perm_site_admin);
    if (adminRole === undefined) throw new InputError('No site-admin role exists to give the first user', { field: 'role_id' });
    const org = (await repos.getOrganisation(options.orgName.trim())) ?? (await repos.insertOrganisation({
      uuid: deps.ids.uuid(), name: options.orgName.trim(), description: 'Automatically generated host organisation', type: '', nationality: '',
      sector: '', contacts: '', local: true, restricted_to_domain: '', landingpage: '', created_by: 0, date_created: now, date_modified: now,
    }));
    const user = await repos.insertUser({
      email: options.email, org_id: org.id, role_id: adminRole.id, password_hash: '', disabled: false, autoalert: false, contactalert: false,
      termsaccepted: true, change_pw: false, nids_sid: 4_000_000, gpgkey: '', certif_public: '', expiration: null, invited_by: 0,
      date_created: now, date_modified: now, last_login: 0, current_login: 0,
    });
    await repos.insertAuthKey(authKeyRecord(raw, user.id, now, deps.ids.uuid(), { comment: 'Created at first start' }));
    await repos.insertAudit({
      created: now, user_id: 0, org_id: 0, ip: '', action: 'add', model: 'User', model_id: user.id, model_title: `${user.email} (first site admin)`, change: '',
    });
    return { created: true, org, user, authKey: raw };
  });
}
