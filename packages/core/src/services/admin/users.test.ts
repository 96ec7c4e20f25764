import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { AuthenticationError, ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { adminFixture, ROLE, type AdminFixture } from './test-support/admin-fixture.js';
import { openTestStore } from './test-support/open-test-store.js';
import { verifyPassword } from './password.js';
import { parseUserInput } from './user-input.js';

describe('user service', () => {
  let f: AdminFixture;
  let close: () => Promise<void>;
  let acme: number;

  beforeEach(async () => {
    const t = await openTestStore(openSqlStore);
    close = t.close;
    f = await adminFixture(t.store);
    acme = await f.org('ACME');
  });
  afterEach(async () => close());

  it('creates a user with a working first key and shows it through view("me")', async () => {
    const r = await f.services.users.add(f.admin, parseUserInput({ email: 'joe@acme.test', org_id: String(acme), role_id: '3' }));
    const u = r.User as Record<string, unknown>;
    expect(u).toMatchObject({ email: 'joe@acme.test', org_id: String(acme), role_id: '3', password: '*****' });
    expect(u.authkey).toMatch(/^[A-Za-z0-9]{40}$/);
    const p = await f.login(u.authkey as string);
    const me = await f.services.users.view(p, 'me');
    expect(me).toMatchObject({ User: { email: 'joe@acme.test' }, Role: { name: 'User', perm_admin: false, perm_site_admin: false, permission: '2' }, UserSetting: [], Organisation: { name: 'ACME' } });
    expect(JSON.stringify(me)).not.toContain('scrypt');
  });

  it('uses the default role when none is given and hashes passwords with scrypt', async () => {
    const r = await f.services.users.add(f.admin, { email: 'pw@acme.test', org_id: acme, password: 'Correct-Horse-9' });
    expect((r.User as Record<string, unknown>).role_id).toBe(String(ROLE.user));
    const stored = await f.store.read((repos) => repos.getUser('pw@acme.test'));
    expect(stored?.password_hash).toMatch(/^\$scrypt\$/);
    expect(await verifyPassword('Correct-Horse-9', stored?.password_hash ?? '')).toBe(true);
    expect(await verifyPassword('wrong', stored?.password_hash ?? '')).toBe(false);
  });

  it('rejects bad input naming the field, and creates nothing', async () => {
    await f.user('dup@acme.test', acme);
    const before = await f.store.read((r) => r.listUsers());
    await expect(f.services.users.add(f.admin, { email: 'DUP@acme.test', org_id: acme })).rejects.toMatchObject({ details: { field: 'User.email' } });
    await expect(f.services.users.add(f.admin, { email: 'x@acme.test', org_id: 999 })).rejects.toMatchObject({ details: { field: 'User.org_id' } });
    await expect(f.services.users.add(f.admin, { email: 'x@acme.test', role_id: 999 })).rejects.toMatchObject({ details: { field: 'User.role_id' } });
    await expect(f.services.users.add(f.admin, { email: 'x@acme.test', password: 'short' })).rejects.toMatchObject({ details: { field: 'User.password' } });
    expect(() => parseUserInput({ email: 'not-an-address' })).toThrow(InputError);
    expect(await f.store.read((r) => r.listUsers())).toEqual(before);
  });

  it('does not let normal users add users or list them', async () => {
    const joe = await f.user('joe@acme.test', acme);
    await expect(f.services.users.add(joe.principal, { email: 'x@acme.test' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.list(joe.principal)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.view(joe.principal, f.boot.user.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('confines org admins to their own organisation', async () => {
    const other = await f.org('Other');
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    const stranger = await f.user('stranger@other.test', other);
    const mine = await f.services.users.add(boss.principal, { email: 'new@acme.test' });
    expect((mine.User as Record<string, unknown>).org_id).toBe(String(acme));
    await expect(f.services.users.add(boss.principal, { email: 'x@other.test', org_id: other })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.add(boss.principal, { email: 'x@acme.test', role_id: ROLE.admin })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.edit(boss.principal, stranger.id, { disabled: true })).rejects.toBeInstanceOf(NotFoundError);
    await expect(f.services.users.delete(boss.principal, stranger.id)).rejects.toBeInstanceOf(NotFoundError);
    const listed = await f.services.users.list(boss.principal);
    expect(listed.map((r) => (r.User as Record<string, unknown>).email).sort()).toEqual(['boss@acme.test', 'new@acme.test']);
  });

  it('lists all users for site admins with filters', async () => {
    await f.user('joe@acme.test', acme);
    expect(await f.services.users.list(f.admin)).toHaveLength(2);
    expect(await f.services.users.list(f.admin, { orgId: acme })).toHaveLength(1);
    const found = await f.services.users.list(f.admin, { search: 'JOE' });
    expect(found[0]).toMatchObject({ User: { email: 'joe@acme.test' }, Role: { name: 'User' }, Organisation: { name: 'ACME' } });
  });

  it('lets users edit their own settings but not their role', async () => {
    const joe = await f.user('joe@acme.test', acme);
    const r = await f.services.users.edit(joe.principal, 'me', { autoalert: true, role_id: ROLE.admin, email: 'boss@acme.test' });
    expect(r.User).toMatchObject({ autoalert: true, role_id: String(ROLE.user), email: 'joe@acme.test' });
    const byAdmin = await f.services.users.edit(f.admin, joe.id, { role_id: ROLE.publisher, disabled: true });
    expect(byAdmin.User).toMatchObject({ role_id: String(ROLE.publisher), disabled: true });
    await expect(f.login(joe.key)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('deletes users and their keys, never oneself', async () => {
    const joe = await f.user('joe@acme.test', acme);
    await expect(f.services.users.delete(f.admin, f.boot.user.id)).rejects.toBeInstanceOf(ForbiddenError);
    await f.services.users.delete(f.admin, joe.id);
    await expect(f.login(joe.key)).rejects.toBeInstanceOf(AuthenticationError);
    expect(await f.store.read((r) => r.listAuthKeys({ userId: joe.id }))).toEqual([]);
    await expect(f.services.users.view(f.admin, joe.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(f.changes()).toBeGreaterThan(0);
  });
});
