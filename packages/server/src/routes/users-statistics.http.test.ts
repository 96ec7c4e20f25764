import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('users/statistics/{context} on %s', (engine) => {
  let s: TestServer;
  let user: { key: string; orgId: number; userId: number };
  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Stats Org', 3);
    await s.call('POST', '/admin/organisations/add', { name: 'Far Away', local: false });
    // PyMISP's test_statistics environment: the first event is the admin's org's only.
    await s.call('POST', '/events/add', { info: 'first', distribution: 0, Attribute: [{ type: 'text', value: 'FIRST_EVENT a' }, { type: 'text', value: 'b' }] });
    await s.call('POST', '/events/add', { info: 'second', distribution: 0, Attribute: [{ type: 'text', value: 'SECOND_EVENT c' }, { type: 'ip-dst', value: '1.1.1.1' }, { type: 'text', value: 'FIRST_EVENT a' }] }, user.key);
    await s.call('POST', '/events/add', { info: 'third', distribution: 3, Tag: [{ name: 'tlp:white___test' }], Attribute: [{ type: 'text', value: 'THIRD_EVENT d' }, { type: 'ip-src', value: '8.8.8.8' }, { type: 'ip-dst', value: '9.9.9.9' }] });
  });
  afterAll(async () => {
    await s.close();
  });

  const get = async (context: string, key?: string): Promise<{ status: number; json: J }> => {
    const r = await s.call('GET', `/users/statistics/${context}`, undefined, key);
    return { status: r.status, json: r.json as J };
  };

  it("data: 'stats' in users_statistics(context='data'), with the instance's figures as strings", async () => {
    const r = await get('data');
    expect(r.status).toBe(200);
    expect(r.json.stats).toMatchObject({
      event_count: '3', event_count_month: '3', attribute_count: '8', attribute_count_month: '8', attributes_per_event: '3',
      correlation_count: '1', proposal_count: '0', user_count: '2', user_count_pgp: '0', org_count: '3', local_org_count: '2',
      contributing_org_count: '2', average_user_per_org: '1', thread_count: '0', post_count: '0',
    });
    // A user counts what they may see: not the first event, nor its correlation.
    const mine = (await get('data', user.key)).json.stats;
    expect(mine).toMatchObject({ event_count: '2', attribute_count: '6', correlation_count: '0', contributing_org_count: '2' });
    expect((await s.call('GET', '/users/statistics')).json).toHaveProperty('stats');
  });

  it("orgs: 'ORGNAME' among the keys, with user, event and attribute counts; scope external and all", async () => {
    const r = (await get('orgs')).json;
    expect(Object.keys(r)).toEqual(['ORGNAME', 'Stats Org']);
    expect(r.ORGNAME).toMatchObject({ id: '1', name: 'ORGNAME', local: true, userCount: '1', eventCount: '2', attributeCount: '5' });
    expect(r['Stats Org']).toMatchObject({ userCount: '1', eventCount: '1', attributeCount: '3' });
    expect(Object.keys((await get('orgs/scope:external')).json)).toEqual(['Far Away']);
    expect((await get('orgs/scope:external')).json['Far Away']).not.toHaveProperty('userCount');
    expect(Object.keys((await get('orgs/scope:all')).json)).toEqual(['Far Away', 'ORGNAME', 'Stats Org']);
  });

  it("users: keys exactly ['user', 'org_local', 'org_external']", async () => {
    const r = (await get('users')).json;
    expect(Object.keys(r)).toEqual(['user', 'org_local', 'org_external']);
    expect(r.user.data.total).toBe(2);
    expect(r.org_local.data.total).toBe(2);
    expect(r.org_external.data).toEqual({ total: 1, month: 1, year: 1 });
    expect(r.user.data).toEqual({ total: 2, month: 2, year: 2 });
    // A user created in 2020 counts in the total only (the test clock is in November 2023).
    await s.store.write((repos) => repos.updateUser(user.userId, { date_created: 1_600_000_000 }));
    expect((await get('users')).json.user.data).toEqual({ total: 2, month: 1, year: 1 });
  });

  it("tags: keys exactly ['flatData', 'treemap'], event tags with their event counts", async () => {
    const r = (await get('tags')).json;
    expect(Object.keys(r)).toEqual(['flatData', 'treemap']);
    const group = Object.keys(r.flatData)[0] as string;
    expect(['custom', 'tlp']).toContain(group);
    expect(r.flatData[group]['tlp:white___test']).toEqual({ name: 'tlp:white___test', size: 1 });
    expect(r.treemap).toEqual({ name: 'tags', children: [{ name: group, children: [{ name: 'tlp:white___test', size: 1 }] }] });
  });

  it('attributehistogram: a list, all organisations first, then each creator organisation', async () => {
    const r = await get('attributehistogram');
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json).toEqual([
      { data: { 'ip-dst': '2', 'ip-src': '1', text: '5' }, org_name: 'All organisations', total: 8 },
      { data: { 'ip-dst': '1', 'ip-src': '1', text: '3' }, org_name: 'ORGNAME', total: 5 },
      { data: { 'ip-dst': '1', text: '2' }, org_name: 'Stats Org', total: 3 },
    ]);
    expect(((await get('attributehistogram', user.key)).json as J[])[0]).toMatchObject({ org_name: 'All organisations', total: 6 });
  });

  it("sightings: keys ['toplist', 'eventids'] after the user's add_sighting", async () => {
    expect((await get('sightings', user.key)).json).toEqual({ toplist: [], eventids: [] });
    expect((await s.call('POST', '/sightings/add', { value: 'FIRST_EVENT a' }, user.key)).status).toBe(200);
    await s.call('POST', '/sightings/add', { value: '9.9.9.9', source: 'honeypot' }, user.key);
    await s.call('POST', '/sightings/add', { value: '9.9.9.9', source: 'honeypot', type: '1' }, user.key);
    const r = (await get('sightings', user.key)).json;
    expect(Object.keys(r)).toEqual(['toplist', 'eventids']);
    expect(r.toplist).toEqual({ honeypot: 2, Undefined: 1 });
    expect(Object.keys(r.eventids.honeypot)).toEqual(['sighting', 'false-positive']);
    expect(r.eventids.Undefined.sighting).toHaveLength(1);
    // The admin's organisation reported none of them.
    expect((await get('sightings')).json.toplist).toEqual([]);
    expect((await get(`sightings/timestamp:${Math.floor(Date.now() / 1000) + 3600}`, user.key)).json.toplist).toEqual([]);
  });

  it('refuses unknown contexts and bad named parameters', async () => {
    const unknown = await get('colour');
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toContain('Invalid page');
    expect((await get('galaxyMatrix')).status).toBe(404);
    const ts = await get('sightings/timestamp:yesterday');
    expect([ts.status, ts.json.field]).toEqual([400, 'timestamp']);
    expect((await s.call('GET', '/users/statistics/data', undefined, 'x'.repeat(40))).status).toBe(403);
  });
});
