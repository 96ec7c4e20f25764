import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP user and role API on %s', (engine) => {
  let s: TestServer;
  let acme: number;
  beforeAll(async () => {
    s = await startTestServer(engine);
    acme = Number(((await s.call('POST', '/admin/organisations/add', { name: 'ACME' })).json as J).Organisation.id);
  });
  afterAll(async () => {
    await s.close();
  });

  it('serves users/view/me in the shape the PyMISP constructor needs', async () => {
    const me = await s.call('GET', '/users/view/me');
    expect(me.status).toBe(200);
    const j = me.json as J;
    expect(Object.keys(j).sort()).toEqual(['Organisation', 'Role', 'User', 'UserSetting']);
    expect(j.User).toMatchObject({ email: 'admin@admin.test', password: '*****', role_id: '1' });
    expect(j.Role).toMatchObject({ perm_admin: true, perm_site_admin: true, permission: '3', permission_description: 'publish' });
    expect(j.UserSetting).toEqual([]);
    expect(j.Organisation).toMatchObject({ name: 'ORGNAME', local: true });
  });

  it('adds a user whose returned key works at once', async () => {
    const add = await s.call('POST', '/admin/users/add', { email: 'joe@acme.test', org_id: String(acme), role_id: '3', termsaccepted: true });
    expect(add.status).toBe(200);
    const u = (add.json as J).User;
    expect(u).toMatchObject({ email: 'joe@acme.test', org_id: String(acme), password: '*****' });
    const me = await s.call('GET', '/users/view/me', undefined, u.authkey);
    expect(me.status).toBe(200);
    expect((me.json as J).User.email).toBe('joe@acme.test');
    expect((me.json as J).Organisation.name).toBe('ACME');
    const dup = await s.call('POST', '/admin/users/add', { email: 'JOE@acme.test', org_id: String(acme) });
    expect([dup.status, (dup.json as J).field]).toEqual([400, 'User.email']);
  });

  it('denies normal users and confines org admins to their organisation', async () => {
    const plain = await addOrgUser(s, 'ACME');
    expect((await s.call('POST', '/admin/users/add', { email: 'x@acme.test' }, plain.key)).status).toBe(403);
    expect((await s.call('GET', '/admin/users/index', undefined, plain.key)).status).toBe(403);
    const boss = await addOrgUser(s, 'ACME', 2);
    const stranger = await addOrgUser(s, 'Elsewhere');
    const edit = await s.call('POST', `/admin/users/edit/${stranger.userId}`, { disabled: true }, boss.key);
    expect(edit.status).toBe(404);
    expect((await s.call('POST', '/admin/users/add', { email: 'y@else.test', org_id: String(stranger.orgId) }, boss.key)).status).toBe(403);
    const mine = await s.call('POST', '/admin/users/add', { email: 'new@acme.test' }, boss.key);
    expect((mine.json as J).User.org_id).toBe(String(acme));
    const listed = (await s.call('GET', '/admin/users/index', undefined, boss.key)).json as J[];
    expect(listed.every((r) => r.User.org_id === String(acme))).toBe(true);
    expect(listed[0]).toHaveProperty('Role');
    expect(listed[0]).toHaveProperty('Organisation');
  });

  it("searches, edits and deletes users; a deleted user's key stops working", async () => {
    const add = (await s.call('POST', '/admin/users/add', { email: 'temp@acme.test', org_id: acme })).json as J;
    const found = (await s.call('GET', '/admin/users/index/value:temp')).json as J[];
    expect(found.map((r) => r.User.email)).toEqual(['temp@acme.test']);
    const byOrg = (await s.call('GET', `/admin/users/index/searchorg:${acme}`)).json as J[];
    expect(byOrg.length).toBeGreaterThan(1);
    const edited = await s.call('POST', `/admin/users/edit/${add.User.id}`, { ...add.User, role_id: '4', password: '*****' });
    expect((edited.json as J).User.role_id).toBe('4');
    expect((await s.call('HEAD', `/users/view/${add.User.id}`)).status).toBe(200);
    const del = await s.call('POST', `/admin/users/delete/${add.User.id}`);
    expect(del.json).toMatchObject({ saved: true, name: 'User deleted.' });
    expect((await s.call('GET', '/users/view/me', undefined, add.User.authkey)).status).toBe(403);
    expect((await s.call('GET', `/users/view/${add.User.id}`)).status).toBe(404);
  });

  it('lists roles, sets the default role and manages roles', async () => {
    const roles = (await s.call('GET', '/roles/index')).json as J[];
    expect(roles.map((r) => r.Role.name)).toEqual(['admin', 'Org Admin', 'User', 'Publisher', 'Sync user', 'Read Only']);
    const set = await s.call('POST', '/admin/roles/set_default/4');
    expect(set.json).toMatchObject({ saved: true, success: true });
    const after = (await s.call('GET', '/roles/index')).json as J[];
    expect(after.filter((r) => r.Role.default_role).map((r) => r.Role.id)).toEqual(['4']);
    const added = await s.call('POST', '/admin/roles/add', { name: 'Analyst', permission: '1', perm_tagger: true });
    expect((added.json as J).Role).toMatchObject({ name: 'Analyst', permission: '1', perm_tagger: true });
    expect((await s.call('HEAD', `/roles/view/${(added.json as J).Role.id}`)).status).toBe(200);
    const plain = await addOrgUser(s, 'ACME');
    expect((await s.call('POST', '/admin/roles/set_default/3', undefined, plain.key)).status).toBe(403);
    expect((await s.call('GET', '/roles/view/999')).status).toBe(404);
  });
});
