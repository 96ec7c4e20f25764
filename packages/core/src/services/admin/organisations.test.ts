import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { adminFixture, ROLE, type AdminFixture } from './test-support/admin-fixture.js';
import { openTestStore } from './test-support/open-test-store.js';
import { parseOrganisationInput } from './organisation-input.js';

describe('organisation service', () => {
  let f: AdminFixture;
  let close: () => Promise<void>;

  beforeEach(async () => {
    const t = await openTestStore(openSqlStore);
    close = t.close;
    f = await adminFixture(t.store);
  });
  afterEach(async () => close());

  it('adds an organisation and shows it by id, uuid and name', async () => {
    const o = await f.services.organisations.add(f.admin, parseOrganisationInput({ name: 'ACME', sector: 'Finance', local: false, restricted_to_domain: ['acme.test', 'acme.example'] }));
    expect(o).toMatchObject({ name: 'ACME', sector: 'Finance', local: false, restricted_to_domain: ['acme.test', 'acme.example'], created_by: String(f.boot.user.id) });
    for (const ref of [String(o.id), o.uuid as string, 'acme']) {
      expect((await f.services.organisations.view(f.admin, ref)).id).toBe(o.id);
    }
    expect(await f.services.organisations.exists(f.admin, 'nope')).toBe(false);
  });

  it('lists by scope with user counts and a search', async () => {
    await f.services.organisations.add(f.admin, { name: 'Remote Org', local: false });
    const local = await f.services.organisations.list(f.admin);
    expect(local.map((o) => (o.Organisation as Record<string, unknown>).name)).toEqual(['Host Org']);
    expect((local[0]?.Organisation as Record<string, unknown>).user_count).toBe('1');
    expect(await f.services.organisations.list(f.admin, { scope: 'external' })).toHaveLength(1);
    expect(await f.services.organisations.list(f.admin, { scope: 'all' })).toHaveLength(2);
    expect(await f.services.organisations.list(f.admin, { scope: 'all', search: 'remo' })).toHaveLength(1);
  });

  it('refuses duplicate names (case-insensitively) and uuids, naming the field', async () => {
    const o = await f.services.organisations.add(f.admin, { name: 'ACME' });
    await expect(f.services.organisations.add(f.admin, { name: 'acme' })).rejects.toMatchObject({ details: { field: 'Organisation.name' } });
    await expect(f.services.organisations.add(f.admin, { name: 'Other', uuid: o.uuid as string })).rejects.toMatchObject({ details: { field: 'Organisation.uuid' } });
    await expect(f.services.organisations.add(f.admin, {})).rejects.toBeInstanceOf(InputError);
    expect(await f.services.organisations.list(f.admin, { scope: 'all' })).toHaveLength(2);
  });

  it('only lets site admins add, edit and delete', async () => {
    const orgId = await f.org('ACME');
    const orgAdmin = await f.user('boss@acme.test', orgId, ROLE.orgAdmin);
    const normal = await f.user('joe@acme.test', orgId);
    for (const p of [orgAdmin.principal, normal.principal]) {
      await expect(f.services.organisations.add(p, { name: 'X' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(f.services.organisations.edit(p, orgId, { name: 'X' })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(f.services.organisations.delete(p, orgId)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await f.services.organisations.view(normal.principal, orgId)).name).toBe('ACME');
  });

  it('edits, keeping names unique', async () => {
    const id = await f.org('ACME');
    await f.org('Other');
    const edited = await f.services.organisations.edit(f.admin, id, { description: 'Anvils', name: 'ACME Corp' });
    expect(edited).toMatchObject({ name: 'ACME Corp', description: 'Anvils' });
    await expect(f.services.organisations.edit(f.admin, id, { name: 'other' })).rejects.toMatchObject({ details: { field: 'Organisation.name' } });
    await expect(f.services.organisations.edit(f.admin, 999, { name: 'Z' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete organisations that are in use, deletes unused ones, and audits', async () => {
    const used = await f.org('Used');
    await f.user('u@used.test', used);
    await expect(f.services.organisations.delete(f.admin, used)).rejects.toBeInstanceOf(ConflictError);
    await expect(f.services.organisations.delete(f.admin, f.boot.org.id)).rejects.toBeInstanceOf(ConflictError);
    const unused = await f.org('Unused');
    await f.services.organisations.delete(f.admin, 'Unused');
    await expect(f.services.organisations.view(f.admin, unused)).rejects.toBeInstanceOf(NotFoundError);
    const log = await f.store.read((r) => r.listAudit({ model: 'Organisation' }));
    expect(log.map((e) => e.action).sort()).toEqual(['add', 'add', 'delete']);
  });
});
