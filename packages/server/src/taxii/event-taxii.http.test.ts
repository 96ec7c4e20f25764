import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventToStixObjects } from '@waggle/stix';
import { createTaxiiClient, type StixLike, type TaxiiClient } from '@waggle/taxii';
import { loadStixSchemas } from '../../../stix/src/test-support/stix-schemas.js';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { ALL_EVENTS_COLLECTION_ID } from './event-taxii-source.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = '/taxii2/api/';

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const anEvent = (info: string, distribution: number, extra: J = {}): J => ({
  info,
  distribution: String(distribution),
  threat_level_id: '2',
  analysis: '1',
  published: true,
  Attribute: [
    { type: 'ip-dst', value: `198.51.100.${info.length}`, category: 'Network activity', to_ids: true },
    { type: 'domain', value: `${info.toLowerCase().replace(/[^a-z0-9]/g, '')}.example.com`, to_ids: false },
    { type: 'text', value: `notes on ${info}` },
  ],
  Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }],
  ...extra,
});

describe.each(testEngines())('TAXII 2.1 over the event store, full app on 127.0.0.1 (%s)', (engine) => {
  let s: TestServer;
  let base: string;
  let a: { key: string; orgId: number };
  let b: { key: string; orgId: number };
  let sgUuid: string;
  const ev: Record<string, J> = {};
  const client = (key: string, fetchImpl: typeof fetch = fetch): TaxiiClient => createTaxiiClient({ url: `${base}/taxii2/`, auth: { username: 'taxii', password: key }, fetch: fetchImpl });

  /** What `key` should see: the STIX objects of its visible published events, by (timestamp, id). */
  async function expectedFor(key: string, names: string[]): Promise<string[]> {
    const views: J[] = [];
    for (const n of names) {
      const r = await s.call('GET', `/events/view/${(ev[n] as J).uuid}`, undefined, key);
      expect(r.status).toBe(200);
      views.push((r.json as J).Event);
    }
    views.sort((x, y) => Number(x.timestamp) - Number(y.timestamp) || Number(x.id) - Number(y.id));
    return views.flatMap((v) => eventToStixObjects(v).map((o) => o.id));
  }

  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const address = s.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${address.port}`;
    a = await addOrgUser(s, 'Org A', 2);
    b = await addOrgUser(s, 'Org B', 2);
    const sg = ((await s.call('POST', '/sharing_groups/add', { name: 'A circle', description: 'org A and friends' }, a.key)).json as J).SharingGroup;
    sgUuid = sg.uuid;
    const add = async (name: string, key: string, body: J): Promise<void> => {
      const r = await s.call('POST', '/events/add', body, key);
      expect(r.status).toBe(200);
      ev[name] = (r.json as J).Event;
    };
    await add('a-org-only', a.key, anEvent('A org only', 0));
    await add('a-community', a.key, anEvent('A community', 1));
    await add('a-sharing-group', a.key, anEvent('A sharing group', 4, { sharing_group_id: sg.id }));
    await add('b-all', b.key, anEvent('B all communities', 3, { Tag: [{ name: 'tlp:white' }] }));
    await add('b-org-only', b.key, anEvent('B org only', 0));
    await add('b-draft', b.key, anEvent('B draft', 1, { published: false }));
  });
  afterAll(async () => {
    await s.close();
  });

  it('lists the collections each user may see; credentials are required (401)', async () => {
    const discovery = await client(a.key).discovery();
    expect(discovery.title).toBe('waggle TAXII 2.1');
    expect(discovery.default).toBe(ROOT);
    expect((await client(a.key).collections(ROOT)).map((c) => c.id)).toEqual([ALL_EVENTS_COLLECTION_ID, sgUuid]);
    expect((await client(b.key).collections(ROOT)).map((c) => c.id)).toEqual([ALL_EVENTS_COLLECTION_ID]);
    await expect(client(b.key).collection(ROOT, sgUuid)).rejects.toMatchObject({ code: 'not_found' });
    const anonymous = await fetch(`${base}${ROOT}collections/`, { headers: { accept: 'application/taxii+json;version=2.1' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('pages with a small limit through exactly the objects of the published events each user may see', async () => {
    let requests = 0;
    const counting: typeof fetch = async (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const seenByA = await drain(client(a.key, counting).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { limit: 3 }));
    expect(seenByA.map((o) => o.id)).toEqual(await expectedFor(a.key, ['a-org-only', 'a-community', 'a-sharing-group', 'b-all']));
    expect(requests).toBeGreaterThanOrEqual(Math.ceil(seenByA.length / 3));

    const seenByB = await drain(client(b.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { limit: 2 }));
    expect(seenByB.map((o) => o.id)).toEqual(await expectedFor(b.key, ['a-community', 'b-all', 'b-org-only']));
    // Org-only and sharing-group events of org A never reach org B; drafts reach nobody.
    const ids = new Set(seenByB.map((o) => o.id));
    for (const hidden of ['a-org-only', 'a-sharing-group', 'b-draft']) expect(ids.has(`report--${(ev[hidden] as J).uuid}`)).toBe(false);
    expect(seenByA.some((o) => o.id === `report--${(ev['b-org-only'] as J).uuid}`)).toBe(false);

    const group = await drain(client(a.key).objects(ROOT, sgUuid, { limit: 2 }));
    expect(group.map((o) => o.id)).toEqual(await expectedFor(a.key, ['a-sharing-group']));
  });

  it('serves objects that validate against the OASIS STIX 2.1 schemas', async () => {
    const schemas = loadStixSchemas();
    const objects = await drain(client(a.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { limit: 50 }));
    expect(objects.length).toBeGreaterThan(10);
    const invalid = objects.map((o) => schemas.validateObject(o as never)).filter((v) => v.errors.length > 0);
    expect(invalid).toEqual([]);
    expect(new Set(objects.map((o) => o.type))).toEqual(new Set(['identity', 'marking-definition', 'indicator', 'observed-data', 'domain-name', 'x-misp-attribute', 'report']));
  });

  it('filters by match[type] and match[id], and answers one object by id', async () => {
    const reports = await drain(client(b.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { limit: 2, match: { type: ['report'] } }));
    expect(reports.map((o) => o.name).sort()).toEqual(['A community', 'B all communities', 'B org only']);
    const id = `report--${(ev['b-all'] as J).uuid}`;
    const one = await drain(client(a.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { match: { id: [id] } }));
    expect(one.map((o) => o.id)).toEqual([id]);
    const direct = await fetch(`${base}${ROOT}collections/${ALL_EVENTS_COLLECTION_ID}/objects/${id}/`, { headers: { authorization: b.key, accept: 'application/taxii+json;version=2.1' } });
    expect(direct.status).toBe(200);
    expect(((await direct.json()) as J).objects.map((o: StixLike) => o.id)).toEqual([id]);
    const hidden = `report--${(ev['a-org-only'] as J).uuid}`;
    const refused = await fetch(`${base}${ROOT}collections/${ALL_EVENTS_COLLECTION_ID}/objects/${hidden}/`, { headers: { authorization: b.key, accept: 'application/taxii+json;version=2.1' } });
    expect(refused.status).toBe(404);
  });

  it('shows an edited event again after added_after, with its new content', async () => {
    const manifest = await drain(client(b.key).manifest(ROOT, ALL_EVENTS_COLLECTION_ID, { limit: 4 }));
    const last = manifest.map((m) => m.date_added).sort().at(-1) as string;
    expect(await drain(client(b.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { addedAfter: last }))).toEqual([]);

    const uuid = (ev['a-community'] as J).uuid as string;
    const edit = await s.call('POST', `/events/edit/${uuid}`, { info: 'A community (edited)', published: true, Attribute: [{ type: 'url', value: 'http://edited.example.com/x', to_ids: true }] }, a.key);
    expect(edit.status).toBe(200);
    const fresh = await drain(client(b.key).objects(ROOT, ALL_EVENTS_COLLECTION_ID, { addedAfter: last, limit: 3 }));
    expect(fresh.map((o) => o.id)).toEqual(await expectedFor(b.key, ['a-community']));
    expect(fresh.find((o) => o.type === 'report')?.name).toBe('A community (edited)');
    expect(fresh.some((o) => o.type === 'indicator' && String(o.pattern).includes('http://edited.example.com/x'))).toBe(true);
  });

  it('refuses bad TAXII queries with TAXII errors', async () => {
    const get = (q: string, key = a.key) => fetch(`${base}${ROOT}collections/${ALL_EVENTS_COLLECTION_ID}/objects/?${q}`, { headers: { authorization: key, accept: 'application/taxii+json;version=2.1' } });
    expect((await get('next=garbage')).status).toBe(400);
    expect((await get('added_after=yesterday')).status).toBe(400);
    expect((await get('match[colour]=red')).status).toBe(400);
    const post = await fetch(`${base}${ROOT}collections/${ALL_EVENTS_COLLECTION_ID}/objects/`, {
      method: 'POST',
      headers: { authorization: a.key, accept: 'application/taxii+json;version=2.1', 'content-type': 'application/taxii+json;version=2.1' },
      body: JSON.stringify({ objects: [] }),
    });
    expect(post.status).toBe(403);
  });
});
