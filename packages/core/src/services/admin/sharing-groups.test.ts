import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlStore } from '@waggle/store';
import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { adminFixture, ROLE, type AdminFixture } from './test-support/admin-fixture.js';
import { openTestStore } from './test-support/open-test-store.js';
import { parseSharingGroupInput } from './sharing-group-input.js';

type Json = Record<string, unknown>;

describe('sharing group service', () => {
  let f: AdminFixture;
  let close: () => Promise<void>;
  let acme: number;
  let other: number;

  beforeEach(async () => {
    const t = await openTestStore(openSqlStore);
    close = t.close;
    f = await adminFixture(t.store);
    acme = await f.org('ACME');
    other = await f.org('Other');
  });
  afterEach(async () => close());

  it('creates a group owned by the caller org, with itself (extend) and this instance as members', async () => {
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    const sg = await f.services.sharingGroups.add(boss.principal, parseSharingGroupInput({ name: 'Partners', releasability: 'Testing' }));
    expect(sg.SharingGroup).toMatchObject({ name: 'Partners', releasability: 'Testing', org_id: String(acme), active: true, org_count: '1' });
    expect(sg.Organisation).toMatchObject({ name: 'ACME' });
    expect(sg.SharingGroupOrg).toEqual([expect.objectContaining({ org_id: String(acme), extend: true, Organisation: expect.objectContaining({ name: 'ACME' }) })]);
    expect(sg.SharingGroupServer).toEqual([expect.objectContaining({ server_id: '0', all_orgs: false })]);
    expect(sg.editable).toBe(true);
  });

  it('needs perm_sharing_group and a unique name', async () => {
    const joe = await f.user('joe@acme.test', acme);
    await expect(f.services.sharingGroups.add(joe.principal, parseSharingGroupInput({ name: 'X' }))).rejects.toBeInstanceOf(ForbiddenError);
    await f.services.sharingGroups.add(f.admin, parseSharingGroupInput({ name: 'X' }));
    await expect(f.services.sharingGroups.add(f.admin, parseSharingGroupInput({ name: 'x' }))).rejects.toMatchObject({ details: { field: 'SharingGroup.name' } });
    await expect(f.services.sharingGroups.add(f.admin, parseSharingGroupInput({ releasability: 'no name' }))).rejects.toBeInstanceOf(InputError);
    expect(await f.services.sharingGroups.list(f.admin)).toHaveLength(1);
  });

  it('membership changes visibility (sharingGroupIdsForOrg)', async () => {
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    const stranger = await f.user('x@other.test', other);
    const sg = (await f.services.sharingGroups.add(boss.principal, parseSharingGroupInput({ name: 'Partners' }))).SharingGroup as Json;
    const id = Number(sg.id);
    const idsOfOther = () => f.store.read((r) => r.sharingGroupIdsForOrg(other));
    expect(await idsOfOther()).toEqual([]);
    await expect(f.services.sharingGroups.view(stranger.principal, id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await f.services.sharingGroups.list(stranger.principal)).toEqual([]);

    await f.services.sharingGroups.addOrg(boss.principal, sg.uuid as string, 'Other');
    expect(await idsOfOther()).toEqual([id]);
    const seen = await f.services.sharingGroups.view(stranger.principal, id);
    expect(seen.editable).toBe(false);
    expect(await f.services.sharingGroups.list(stranger.principal)).toHaveLength(1);
    expect((await f.login(stranger.key)).viewer.sharingGroupIds).toEqual([id]);

    await expect(f.services.sharingGroups.removeOrg(stranger.principal, id, acme)).rejects.toBeInstanceOf(ForbiddenError);
    await f.services.sharingGroups.removeOrg(boss.principal, id, other);
    expect(await idsOfOther()).toEqual([]);
    await expect(f.services.sharingGroups.removeOrg(boss.principal, id, other)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('adds and removes servers; all_orgs on this instance opens the group to every org', async () => {
    const sg = (await f.services.sharingGroups.add(f.admin, parseSharingGroupInput({ name: 'Open' }))).SharingGroup as Json;
    await f.services.sharingGroups.addServer(f.admin, sg.id as string, 0, true);
    expect(await f.store.read((r) => r.sharingGroupIdsForOrg(other))).toEqual([Number(sg.id)]);
    await f.services.sharingGroups.removeServer(f.admin, sg.id as string, 0);
    expect((await f.services.sharingGroups.view(f.admin, sg.id as string)).SharingGroupServer).toEqual([]);
    await expect(f.services.sharingGroups.addServer(f.admin, sg.id as string, 'https://nowhere.test')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepts member lists on creation, edits and deletes (owner only)', async () => {
    const boss = await f.user('boss@acme.test', acme, ROLE.orgAdmin);
    const otherBoss = await f.user('boss@other.test', other, ROLE.orgAdmin);
    const created = await f.services.sharingGroups.add(boss.principal, parseSharingGroupInput({
      SharingGroup: { name: 'Listed' }, SharingGroupOrg: [{ extend: false, Organisation: { name: 'Other' } }],
    }));
    const id = (created.SharingGroup as Json).id as string;
    expect((created.SharingGroupOrg as Json[]).map((m) => m.org_id)).toEqual([String(acme), String(other)]);
    await expect(f.services.sharingGroups.edit(otherBoss.principal, id, parseSharingGroupInput({ name: 'Mine' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.sharingGroups.add(boss.principal, parseSharingGroupInput({ name: 'Bad', SharingGroupOrg: [{ org_id: 999 }] })))
      .rejects.toMatchObject({ details: { field: 'SharingGroup.SharingGroupOrg[0]' } });
    const edited = await f.services.sharingGroups.edit(boss.principal, id, parseSharingGroupInput({ description: 'desc', active: false }));
    expect(edited.SharingGroup).toMatchObject({ description: 'desc', active: false, name: 'Listed' });
    await expect(f.services.sharingGroups.delete(otherBoss.principal, id)).rejects.toBeInstanceOf(NotFoundError);
    await f.services.sharingGroups.delete(boss.principal, id);
    expect(await f.services.sharingGroups.exists(f.admin, id)).toBe(false);
    const log = await f.store.read((r) => r.listAudit({ model: 'SharingGroup' }));
    expect(log.map((e) => e.action).sort()).toEqual(['add', 'delete', 'edit']);
  });
});
