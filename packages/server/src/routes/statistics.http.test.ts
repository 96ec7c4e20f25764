import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { percentOf } from './statistics.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('percentOf', () => {
  it('writes shares as MISP does (round to 3 decimals, no trailing zeros)', () => {
    expect([percentOf(2, 8), percentOf(1, 8), percentOf(1, 3), percentOf(3, 3), percentOf(0, 0)]).toEqual(['25%', '12.5%', '33.333%', '100%', '0%']);
  });
});

describe.each(testEngines())('attributes/attributeStatistics and tags/tagStatistics on %s', (engine) => {
  let s: TestServer;
  let user: { key: string };
  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Stats Org', 3);
    // PyMISP's test_statistics environment: 5 text, 2 ip-dst, 1 ip-src; one event tag.
    await s.call('POST', '/events/add', { info: 'first', distribution: 0, Attribute: [{ type: 'text', value: 'FIRST_EVENT a', Tag: [{ name: 'admin_only' }] }, { type: 'text', value: 'b' }] });
    await s.call('POST', '/events/add', { info: 'second', distribution: 0, Attribute: [{ type: 'text', value: 'SECOND_EVENT c' }, { type: 'ip-dst', value: '1.1.1.1' }, { type: 'text', value: 'FIRST_EVENT a' }] }, user.key);
    await s.call('POST', '/events/add', { info: 'third', distribution: 3, Tag: [{ name: 'tlp:white___test' }], Attribute: [{ type: 'text', value: 'THIRD_EVENT d' }, { type: 'ip-src', value: '8.8.8.8' }, { type: 'ip-dst', value: '9.9.9.9' }] });
    const gone = ((await s.call('POST', '/events/add', { info: 'deleted attribute', distribution: 0, Attribute: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }] })).json as J).Event;
    expect((await s.call('POST', `/attributes/delete/${String(gone.Attribute[0].id)}`)).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('counts live attributes per type and category, as counts or shares (test_statistics)', async () => {
    expect((await s.call('GET', '/attributes/attributeStatistics')).json).toEqual({ 'ip-dst': '2', 'ip-src': '1', text: '5' });
    expect((await s.call('GET', '/attributes/attributeStatistics/type/true')).json).toEqual({ 'ip-dst': '25%', 'ip-src': '12.5%', text: '62.5%' });
    expect((await s.call('GET', '/attributes/attributeStatistics/category/true')).json).toEqual({ 'Network activity': '37.5%', Other: '62.5%' });
  });

  it('counts event tags and the enabled taxonomies they belong to', async () => {
    const r = (await s.call('GET', '/tags/tagStatistics/false/false')).json as J;
    expect(r.tags).toEqual({ 'tlp:white___test': '1' });
    const pct = (await s.call('GET', '/tags/tagStatistics/true/true')).json as J;
    expect(pct.tags).toEqual({ 'tlp:white___test': '100%' });
    const enabled = ((await s.call('GET', '/taxonomies/index')).json as J[]).filter((t) => t.Taxonomy.enabled === true).map((t) => t.Taxonomy.namespace as string);
    if (enabled.length === 0) expect(r.taxonomies).toEqual([]);
    else if (enabled.includes('tlp')) expect(r.taxonomies.tlp).toBe('1');
  });

  it('counts only what the caller may see', async () => {
    expect((await s.call('GET', '/attributes/attributeStatistics/type', undefined, user.key)).json).toEqual({ 'ip-dst': '2', 'ip-src': '1', text: '3' });
    expect(((await s.call('GET', '/tags/tagStatistics', undefined, user.key)).json as J).tags).toEqual({ 'tlp:white___test': '1' });
  });

  it('refuses an unknown context', async () => {
    const r = await s.call('GET', '/attributes/attributeStatistics/colour');
    expect(r.status).toBe(400);
    expect(r.text).toContain('context');
  });
});
