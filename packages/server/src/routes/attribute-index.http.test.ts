import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, unknown>;

describe.each(testEngines())('attributes/index (%s)', (engine) => {
  let s: TestServer;
  let user: { key: string };
  const ids = { mine: [] as string[], admins: [] as string[], community: [] as string[] };

  const index = async (query = '', key?: string): Promise<{ status: number; rows: J[]; json: J }> => {
    const r = await s.call('GET', `/attributes/index${query}`, undefined, key);
    return { status: r.status, rows: Array.isArray(r.json) ? (r.json as J[]) : [], json: r.json as J };
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Test Org', 3);
    const add = async (body: J, key?: string): Promise<J> => {
      const r = await s.call('POST', '/events/add', body, key);
      expect(r.status, r.text).toBe(200);
      return (r.json as { Event: J }).Event;
    };
    // The admin's organisation-only event: invisible to the user.
    const a = await add({ info: 'admin only', distribution: 0, Attribute: [{ type: 'ip-dst', value: '203.0.113.1' }, { type: 'domain', value: 'admin.example' }] });
    ids.admins = (a.Attribute as J[]).map((x) => String(x.id));
    const m = await add({ info: 'mine', distribution: 0, Attribute: [{ type: 'ip-dst', value: '198.51.100.1' }, { type: 'ip-src', value: '198.51.100.2' }, { type: 'text', value: 'deleted soon' }] }, user.key);
    ids.mine = (m.Attribute as J[]).map((x) => String(x.id));
    const c = await add({ info: 'community', distribution: 1, published: true, Attribute: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }, { type: 'url', value: 'https://x.example/a', distribution: 0 }] });
    ids.community = (c.Attribute as J[]).map((x) => String(x.id));
    expect((await s.call('POST', `/attributes/delete/${ids.mine[2] as string}`, {}, user.key)).status).toBe(200);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("answers PyMISP's attributes(): a flat list of the live attributes the caller may see, newest event first", async () => {
    const admin = await index();
    expect(admin.status).toBe(200);
    // Event ids descending (MISP's order), soft-deleted left out.
    expect(admin.rows.map((a) => a.id)).toEqual([...ids.community].reverse().concat([ids.mine[1], ids.mine[0]] as string[], [...ids.admins].reverse()));
    const first = admin.rows[0] as J;
    expect(first).toMatchObject({ id: ids.community[1], type: 'url', value: 'https://x.example/a', deleted: false, to_ids: expect.any(Boolean) as unknown });
    expect(first).not.toHaveProperty('Attribute');
    expect(first).not.toHaveProperty('Event');
    // The user: its own event, and the community event without its organisation-only attribute.
    const mine = await index('', user.key);
    expect(mine.rows.map((a) => a.id)).toEqual([ids.community[0], ids.mine[1], ids.mine[0]]);
    // The same rows as attributes/restSearch gives the user (same visibility path).
    const search = await s.call('POST', '/attributes/restSearch', { returnFormat: 'json' }, user.key);
    const searched = ((search.json as { response: { Attribute: J[] } }).response.Attribute).map((a) => a.id).sort();
    expect([...mine.rows.map((a) => a.id)].sort()).toEqual(searched);
  });

  it('pages (limit:/page: named parameters, 60 by default, at most 9999), sorts and filters by searchvalue', async () => {
    const page1 = await index('/limit:2/page:1');
    const page2 = await index('/limit:2/page:2');
    const all = await index();
    expect([...page1.rows, ...page2.rows].map((a) => a.id)).toEqual(all.rows.slice(0, 4).map((a) => a.id));
    expect((await index('?limit=2&page=3')).rows.map((a) => a.id)).toEqual(all.rows.slice(4, 6).map((a) => a.id));
    expect((await index('/limit:100000')).rows).toHaveLength(all.rows.length);
    const byValue = await index('/sort:value/direction:asc');
    expect(byValue.rows.map((a) => a.value)).toEqual([...all.rows.map((a) => String(a.value))].sort());
    const byIdDesc = await index('/sort:Attribute.id/direction:desc');
    expect(byIdDesc.rows.map((a) => Number(a.id))).toEqual([...all.rows.map((a) => Number(a.id))].sort((x, y) => y - x));
    const found = await index('/searchvalue:198.51.100.2', user.key);
    expect(found.rows.map((a) => a.id)).toEqual([ids.mine[1]]);
    expect((await index('/searchvalue:203.0.113.1', user.key)).rows).toEqual([]);
  });

  it('answers bad paging with a 400 and a page after the last with 404, as CakePHP', async () => {
    for (const q of ['/limit:0', '/limit:abc', '/page:0', '/page:-1', '/sort:password', '/sort:id/direction:sideways']) {
      const r = await index(q);
      expect(r.status, q).toBe(400);
      expect(typeof r.json.message, q).toBe('string');
    }
    const beyond = await index('/limit:2/page:50');
    expect(beyond.status).toBe(404);
    expect(beyond.json.message).toBe('Not Found');
    // An empty first page is an empty list.
    expect(await index('/searchvalue:nothing-here')).toMatchObject({ status: 200, rows: [] });
  });
});
