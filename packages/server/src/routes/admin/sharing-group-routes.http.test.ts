import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP auth key and sharing group API on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('creates keys with get_new_authkey, lists them, and revokes them', async () => {
    const joe = await addOrgUser(s, 'Keys Org');
    const r = await s.call('POST', '/authKeys/add/me', {}, joe.key);
    expect(r.status).toBe(200);
    const k = (r.json as J).AuthKey;
    expect(k.authkey_raw).toMatch(/^[A-Za-z0-9]{40}$/);
    expect((await s.call('GET', '/users/view/me', undefined, k.authkey_raw)).status).toBe(200);
    const list = (await s.call('GET', '/auth_keys/index', undefined, joe.key)).json as J[];
    expect(list).toHaveLength(2);
    expect((await s.call('GET', `/auth_keys/view/${k.id}`, undefined, joe.key)).json).toMatchObject({ AuthKey: { id: k.id } });
    const del = await s.call('POST', `/auth_keys/delete/${k.id}`, undefined, joe.key);
    expect(del.json).toMatchObject({ saved: true });
    expect((await s.call('GET', '/users/view/me', undefined, k.authkey_raw)).status).toBe(403);
    const other = await addOrgUser(s, 'Other Keys Org');
    expect((await s.call('POST', `/auth_keys/add/${joe.userId}`, {}, other.key)).status).toBe(403);
    expect((await s.call('POST', `/auth_keys/add/${joe.userId}`, {})).status).toBe(200);
  });

  it('manages sharing groups the way PyMISP calls them', async () => {
    const owner = await addOrgUser(s, 'SG Owner', 2);
    const partner = await addOrgUser(s, 'SG Partner');
    const add = await s.call('POST', '/sharingGroups/add', { name: 'Trusted', releasability: 'Testing', uuid: '3c7e4d0a-0d2b-4c48-9f57-3a1e5b0c7d11' }, owner.key);
    expect(add.status).toBe(200);
    const sg = (add.json as J).SharingGroup;
    expect(sg).toMatchObject({ name: 'Trusted', uuid: '3c7e4d0a-0d2b-4c48-9f57-3a1e5b0c7d11', org_id: String(owner.orgId) });

    const index = await s.call('GET', '/sharingGroups/index', undefined, owner.key);
    expect(Object.keys(index.json as J)).toEqual(['response']);
    expect(((index.json as J).response as J[]).map((x) => x.SharingGroup.name)).toEqual(['Trusted']);
    expect(((await s.call('GET', '/sharing_groups/index', undefined, partner.key)).json as J).response).toEqual([]);
    expect((await s.call('GET', `/sharing_groups/view/${sg.id}`, undefined, partner.key)).status).toBe(404);
    expect((await s.call('HEAD', `/sharing_groups/view/${sg.uuid}`, undefined, partner.key)).status).toBe(404);

    const addOrg = await s.call('POST', '/sharingGroups/addOrg', { sg_id: sg.uuid, org_id: 'SG Partner', extend: false }, owner.key);
    expect(addOrg.json).toMatchObject({ saved: true, success: true, message: 'Organisation added to the sharing group.' });
    const seen = await s.call('GET', `/sharing_groups/view/${sg.id}`, undefined, partner.key);
    expect(seen.status).toBe(200);
    expect(((seen.json as J).SharingGroupOrg as J[]).map((m) => m.Organisation.name).sort()).toEqual(['SG Owner', 'SG Partner']);
    expect((await s.call('HEAD', `/sharing_groups/view/${sg.uuid}`, undefined, partner.key)).status).toBe(200);
    expect((await s.call('POST', `/sharing_groups/edit/${sg.id}`, { name: 'Hijacked' }, partner.key)).status).toBe(403);

    const addServer = await s.call('POST', '/sharingGroups/addServer', { sg_id: sg.id, server_id: '0', all_orgs: false }, owner.key);
    expect(addServer.json).toMatchObject({ saved: true });
    const removed = await s.call('POST', `/sharingGroups/removeOrg/${sg.id}/${partner.orgId}`, undefined, owner.key);
    expect(removed.json).toMatchObject({ saved: true });
    expect((await s.call('GET', `/sharing_groups/view/${sg.id}`, undefined, partner.key)).status).toBe(404);

    const edit = await s.call('POST', `/sharing_groups/edit/${sg.uuid}`, { description: 'for partners' }, owner.key);
    expect((edit.json as J).SharingGroup).toMatchObject({ name: 'Trusted', description: 'for partners' });
    const del = await s.call('POST', `/sharingGroups/delete/${sg.id}`, undefined, owner.key);
    expect(del.json).toMatchObject({ saved: true, name: 'SharingGroup deleted' });
    expect((await s.call('GET', `/sharing_groups/view/${sg.id}`, undefined, owner.key)).status).toBe(404);
  });

  it('lets sharing-group membership decide who sees a distribution-4 event', async () => {
    const owner = await addOrgUser(s, 'Ev Owner', 2);
    const partner = await addOrgUser(s, 'Ev Partner');
    const sg = ((await s.call('POST', '/sharing_groups/add', { name: 'Event SG' }, owner.key)).json as J).SharingGroup;
    const ev = await s.call('POST', '/events/add', { info: 'SG only', distribution: '4', sharing_group_id: sg.id, threat_level_id: '2', analysis: '0' }, owner.key);
    expect(ev.status).toBe(200);
    const id = (ev.json as J).Event.id;
    expect((await s.call('GET', `/events/view/${id}`, undefined, partner.key)).status).toBe(404);
    await s.call('POST', '/sharing_groups/add_org', { sg_id: sg.id, org_id: partner.orgId }, owner.key);
    expect((await s.call('GET', `/events/view/${id}`, undefined, partner.key)).status).toBe(200);
    await s.call('POST', '/sharing_groups/remove_org', { sg_id: sg.id, org_id: partner.orgId }, owner.key);
    expect((await s.call('GET', `/events/view/${id}`, undefined, partner.key)).status).toBe(404);
  });

  it('answers bad member requests with JSON 4xx', async () => {
    const sg = ((await s.call('POST', '/sharing_groups/add', { name: 'Errors SG' })).json as J).SharingGroup;
    expect((await s.call('POST', '/sharing_groups/add_org', { org_id: 1 })).status).toBe(400);
    expect((await s.call('POST', '/sharing_groups/add_org', { sg_id: sg.id, org_id: 'Nobody' })).status).toBe(404);
    expect((await s.call('POST', '/sharing_groups/add_server', { sg_id: sg.id, server_id: 77 })).status).toBe(404);
    expect((await s.call('POST', '/sharing_groups/add', { name: 'errors sg' })).status).toBe(400);
  });
});
