import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { ConflictError, ForbiddenError, NotFoundError } from '@waggle/errors';
import { adminFixture, ROLE, type AdminFixture } from './test-support/admin-fixture.js';
import { openTestStore } from './test-support/open-test-store.js';
import { parseRoleInput } from './role-input.js';

describe('role service', () => {
  let f: AdminFixture;
  let close: () => Promise<void>;

  beforeEach(async () => {
    const t = await openTestStore(openSqlStore);
    close = t.close;
    f = await adminFixture(t.store);
  });
  afterEach(async () => close());

  it("lists MISP's six default roles with permission levels", async () => {
    const roles = (await f.services.roles.list(f.admin)).map((r) => r.Role as Record<string, unknown>);
    expect(roles.map((r) => [r.name, r.permission, r.permission_description, r.default_role])).toEqual([
      ['admin', '3', 'publish', false],
      ['Org Admin', '3', 'publish', false],
      ['User', '2', 'manage_org', true],
      ['Publisher', '3', 'publish', false],
      ['Sync user', '3', 'publish', false],
      ['Read Only', '0', 'read_only', false],
    ]);
    expect(roles[0]).toMatchObject({ perm_site_admin: true, perm_admin: true, perm_sync: true });
    expect(roles[1]).toMatchObject({ perm_site_admin: false, perm_admin: true, perm_sharing_group: true });
    expect(roles[4]).toMatchObject({ perm_sync: true, perm_admin: false });
  });

  it('adds a role from a permission level and flags; names are unique', async () => {
    const r = await f.services.roles.add(f.admin, parseRoleInput({ Role: { name: 'Analyst', permission: '1', perm_tagger: true, perm_sighting: 1 } }));
    expect(r).toMatchObject({ name: 'Analyst', permission: '1', permission_description: 'manage_own', perm_add: true, perm_modify: true, perm_modify_org: false, perm_tagger: true, perm_sighting: true, perm_admin: false });
    const named = await f.services.roles.add(f.admin, parseRoleInput({ name: 'Named', permission: 'publish' }));
    expect(named.permission).toBe('3');
    await expect(f.services.roles.add(f.admin, { name: 'analyst', flags: {} })).rejects.toMatchObject({ details: { field: 'Role.name' } });
    await expect(f.services.roles.add(f.admin, { flags: {} })).rejects.toMatchObject({ details: { field: 'Role.name' } });
  });

  it('edits and sets the default role', async () => {
    const r = await f.services.roles.add(f.admin, { name: 'Analyst', flags: {} });
    const edited = await f.services.roles.edit(f.admin, String(r.id), { permission: 2, flags: { perm_sharing_group: true } });
    expect(edited).toMatchObject({ permission: '2', perm_sharing_group: true });
    await f.services.roles.setDefault(f.admin, String(r.id));
    const defaults = (await f.services.roles.list(f.admin)).filter((x) => (x.Role as Record<string, unknown>).default_role === true);
    expect(defaults.map((x) => (x.Role as Record<string, unknown>).name)).toEqual(['Analyst']);
  });

  it('refuses non-admins, unknown roles and deleting roles in use', async () => {
    const acme = await f.org('ACME');
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    await expect(f.services.roles.add(boss.principal, { name: 'X', flags: {} })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.roles.setDefault(boss.principal, ROLE.readOnly)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.roles.view(f.admin, 999)).rejects.toBeInstanceOf(NotFoundError);
    await expect(f.services.roles.delete(f.admin, ROLE.orgAdmin)).rejects.toBeInstanceOf(ConflictError);
    await expect(f.services.roles.delete(f.admin, ROLE.user)).rejects.toBeInstanceOf(ConflictError);
  });
});
