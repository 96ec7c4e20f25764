import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authKeyRecord } from '@waggle/core';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, unknown>;

/** MISP's ACLComponent answer when a role lacks the permission an action needs. */
const ACL = 'You do not have permission to use this functionality.';

describe.each(testEngines())("MISP's ACL wording on refused actions (%s)", (engine) => {
  let s: TestServer;
  let readOnlyRole: { key: string };
  let user: { key: string };
  let readOnlyKey = '';
  let event: J;

  const refused = async (method: string, url: string, body: unknown, key: string): Promise<void> => {
    const r = await s.call(method, url, body, key);
    expect(r.status, `${url}: ${r.text}`).toBe(403);
    expect((r.json as J).message, url).toBe(ACL);
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Test Org', 3);
    readOnlyRole = await addOrgUser(s, 'Test Org', 6);
    readOnlyKey = 'ReadOnlyKey'.repeat(4).slice(0, 40);
    await s.store.write(async (repos) => {
      await repos.insertAuthKey(authKeyRecord(readOnlyKey, 1, 1_700_000_000, randomUUID(), { read_only: true }));
    });
    const r = await s.call('POST', '/events/add', { info: 'Test Roles', distribution: 0, Attribute: [{ type: 'ip-dst', value: '8.8.8.8' }, { type: 'ip-dst', value: '9.9.9.9' }] }, user.key);
    event = (r.json as { Event: J }).Event;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("test_search_csv: a User publishing gets 'You do not have permission to use this functionality.'", async () => {
    await refused('POST', `/events/publish/${String(event.id)}`, undefined, user.key);
    // Refused before the event is looked at, as MISP's ACL runs first.
    await refused('POST', '/events/publish/999999', undefined, user.key);
    expect(((await s.call('GET', `/events/view/${String(event.id)}`)).json as { Event: J }).Event.published).toBe(false);
  });

  it('test_roles_expanded: the Read Only role cannot add events, publish, tag or add sightings', async () => {
    const attribute = ((event.Attribute as J[])[1] as J).uuid;
    await refused('POST', '/events/add', { info: 'Test Roles', distribution: 0 }, readOnlyRole.key);
    await refused('POST', `/events/publish/${String(event.id)}`, undefined, readOnlyRole.key);
    await refused('POST', '/tags/attachTagToObject', { uuid: attribute, tag: 'tlp:white___test' }, readOnlyRole.key);
    await refused('POST', `/sightings/add/${String(attribute)}`, { source: 'foo' }, readOnlyRole.key);
    // What it may do still works: reading the event.
    expect((await s.call('GET', `/events/view/${String(event.id)}`, undefined, readOnlyRole.key)).status).toBe(200);
  });

  it('site-admin-only and admin-only actions, and read-only auth keys, get the same answer', async () => {
    await refused('POST', '/eventBlocklists/add', { uuids: [randomUUID()] }, user.key);
    await refused('POST', '/admin/organisations/add', { name: 'Sneaky' }, user.key);
    await refused('GET', '/admin/users/index', undefined, user.key);
    await refused('POST', '/admin/users/add', { email: 'x@test.test', org_id: 1 }, user.key);
    await refused('GET', '/admin/logs/index', undefined, user.key);
    // A read-only key of the site admin: MISP clears its role flags (perm_auth and perm_audit aside).
    await refused('POST', '/events/add', { info: 'from a read-only key' }, readOnlyKey);
    await refused('POST', '/eventBlocklists/add', { uuids: [randomUUID()] }, readOnlyKey);
    expect((await s.call('GET', '/events/index', undefined, readOnlyKey)).status).toBe(200);
  });

  it("keeps 'You do not have permission to do that.' where PyMISP falls back to a proposal", async () => {
    const other = await addOrgUser(s, 'Other Org', 3);
    const shared = await s.call('POST', '/events/add', { info: 'shared', distribution: 1, Attribute: [{ type: 'ip-dst', value: '192.0.2.7' }] }, user.key);
    const id = String((shared.json as { Event: J }).Event.id);
    const r = await s.call('POST', `/attributes/add/${id}`, { type: 'ip-dst', value: '192.0.2.8' }, other.key);
    expect(r.status).toBe(403);
    expect((r.json as J).message).toBe('You do not have permission to do that.');
  });
});
