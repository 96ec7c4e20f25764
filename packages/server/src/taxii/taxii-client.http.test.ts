import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTaxiiClient, type StixLike } from '@waggle/taxii';
import { bigDateAdded, buildSource, KEYS, MALWARE_ID, PRINCIPALS, stixId, VERSIONED_ID } from './test-support/taxii-fixtures.js';
import { startTaxiiTestApp } from './test-support/taxii-test-app.js';

async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('TAXII routes driven by the waggle TAXII client (127.0.0.1)', () => {
  let app: FastifyInstance;
  let base: string;
  let requests: string[];
  // The routes stamp status versions of unversioned objects with their clock; the source stamps date_added with the same one.
  const now = (): Date => new Date(Date.UTC(2025, 0, 1));
  const source = buildSource(now);
  const countingFetch: typeof fetch = async (input, init) => {
    requests.push(String(input));
    return fetch(input, init);
  };
  const client = () => createTaxiiClient({ url: `${base}/taxii2/`, auth: { username: 'anyone', password: KEYS.alice }, fetch: countingFetch });

  beforeAll(async () => {
    ({ app, base } = await startTaxiiTestApp(source, PRINCIPALS, { maxPageSize: 500, now }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('discovers the API root and its collections', async () => {
    requests = [];
    const c = client();
    const d = await c.discovery();
    expect(d).toEqual({ title: 'waggle test TAXII', description: 'test server', contact: 'soc@example.test', default: '/taxii2/api/', api_roots: ['/taxii2/api/'] });
    const root = await c.apiRoot(d.default as string);
    expect(root).toEqual({ title: 'waggle test TAXII', description: 'test server', versions: ['application/taxii+json;version=2.1'], max_content_length: 10 * 1024 * 1024 });
    expect((await c.collections('/taxii2/api/')).map((x) => x.id)).toEqual(['big', 'versioned', 'private', 'writable', 'locked']);
    expect(await c.collection('/taxii2/api/', 'big')).toEqual({ id: 'big', title: 'Big', can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
    const bob = createTaxiiClient({ url: `${base}/taxii2/`, auth: { header: 'Authorization', value: KEYS.bob } });
    expect((await bob.collections('/taxii2/api/')).map((x) => x.id)).not.toContain('private');
  });

  it('pages through 2,500 objects with limit 100: each once, in order, in 25 requests', async () => {
    requests = [];
    const seen = await drain(client().objects('/taxii2/api/', 'big', { limit: 100 }));
    expect(seen).toHaveLength(2500);
    expect(seen.map((o) => o.id)).toEqual(Array.from({ length: 2500 }, (_, i) => stixId('indicator', i)));
    expect(new Set(seen.map((o) => o.id)).size).toBe(2500);
    expect(requests).toHaveLength(25);
    expect(requests.slice(1).every((u) => new URL(u).searchParams.get('next') !== null)).toBe(true);
  });

  it('caps a page at the server maximum and still sees everything', async () => {
    requests = [];
    const seen = await drain(client().objects('/taxii2/api/', 'big', { limit: 100_000 }));
    expect(seen).toHaveLength(2500);
    expect(requests).toHaveLength(5);
  });

  it('filters by added_after (exclusive, ties included on the far side)', async () => {
    const after = bigDateAdded(1995); // objects 1990..1999 share this second
    const seen = await drain(client().objects('/taxii2/api/', 'big', { addedAfter: after, limit: 128 }));
    expect(seen.map((o) => o.id)).toEqual(Array.from({ length: 500 }, (_, i) => stixId('indicator', 2000 + i)));
  });

  it('filters by id, type, version and spec_version', async () => {
    const c = client();
    const ids = (xs: StixLike[]) => xs.map((o) => `${o.id === VERSIONED_ID ? 'ind' : 'mal'}@${String(o.modified).slice(5, 10)}`);
    expect(ids(await drain(c.objects('/taxii2/api/', 'versioned')))).toEqual(['ind@03-03', 'mal@03-04']);
    expect(ids(await drain(c.objects('/taxii2/api/', 'versioned', { match: { version: ['all'] } })))).toEqual(['ind@03-01', 'ind@03-03', 'mal@03-04', 'ind@03-02']);
    expect(ids(await drain(c.objects('/taxii2/api/', 'versioned', { match: { version: ['first'], type: ['indicator'] } })))).toEqual(['ind@03-01']);
    expect(ids(await drain(c.objects('/taxii2/api/', 'versioned', { match: { version: ['2024-03-02T00:00:00Z'] } })))).toEqual(['ind@03-02']);
    expect(ids(await drain(c.objects('/taxii2/api/', 'versioned', { match: { id: [MALWARE_ID], specVersion: ['2.0'] } })))).toEqual(['mal@01-01']);
    expect(await drain(c.objects('/taxii2/api/', 'big', { match: { id: [stixId('indicator', 42), stixId('indicator', 2401)] } }))).toHaveLength(2);
    expect(await drain(c.objects('/taxii2/api/', 'big', { match: { type: ['malware'] } }))).toEqual([]);
  });

  it('lists the manifest and the versions of an object', async () => {
    const c = client();
    expect(await drain(c.manifest('/taxii2/api/', 'versioned', { match: { version: ['all'], type: ['indicator'] }, limit: 2 }))).toEqual([
      { id: VERSIONED_ID, date_added: '2024-03-01T00:00:01.000Z', version: '2024-03-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
      { id: VERSIONED_ID, date_added: '2024-03-03T00:00:01.000Z', version: '2024-03-03T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
      { id: VERSIONED_ID, date_added: '2024-03-05T00:00:01.000Z', version: '2024-03-02T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
    ]);
    const manifest = await drain(c.manifest('/taxii2/api/', 'big', { limit: 1000 }));
    expect(manifest).toHaveLength(2500);
    expect(await drain(c.versions('/taxii2/api/', 'versioned', VERSIONED_ID, { limit: 1 }))).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-03T00:00:00.000Z', '2024-03-02T00:00:00.000Z']);
    expect(await drain(c.versions('/taxii2/api/', 'versioned', MALWARE_ID, { specVersion: ['2.0'] }))).toEqual(['2024-01-01T00:00:00.000Z']);
    expect(await drain(c.versions('/taxii2/api/', 'versioned', VERSIONED_ID, { addedAfter: '2024-03-04T00:00:00Z' }))).toEqual(['2024-03-02T00:00:00.000Z']);
  });

  it('adds objects to a writable collection and reads them back', async () => {
    const c = client();
    const objects = [{ type: 'indicator', id: stixId('indicator', 5), created: '2024-05-01T00:00:00.000Z', modified: '2024-05-02T00:00:00.000Z' }, { type: 'ipv4-addr', id: stixId('ipv4-addr', 6), value: '203.0.113.9' }];
    const status = await c.addObjects('/taxii2/api/', 'writable', objects);
    expect(status).toMatchObject({ status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0 });
    expect(status.successes).toEqual([
      { id: stixId('indicator', 5), version: '2024-05-02T00:00:00.000Z' },
      { id: stixId('ipv4-addr', 6), version: '2025-01-01T00:00:00.000Z' },
    ]);
    expect((await drain(c.objects('/taxii2/api/', 'writable'))).map((o) => o.id)).toEqual([stixId('indicator', 5), stixId('ipv4-addr', 6)]);
    const again = await c.addObjects('/taxii2/api/', 'writable', objects.slice(0, 1));
    expect(again).toMatchObject({ total_count: 1, success_count: 0, failure_count: 1 });
    expect(again.failures?.[0]?.message).toMatch(/already in the collection/);
    expect(source.size('writable')).toBe(2);
  });

  it('reports server refusals as waggle errors', async () => {
    const c = client();
    await expect(c.collection('/taxii2/api/', 'nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(drain(c.objects('/taxii2/api/', 'locked'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(c.addObjects('/taxii2/api/', 'big', [{ type: 'indicator', id: stixId('indicator', 1) }])).rejects.toMatchObject({ code: 'forbidden' });
    const stranger = createTaxiiClient({ url: `${base}/taxii2/`, auth: { username: 'x', password: 'wrong' } });
    await expect(stranger.discovery()).rejects.toMatchObject({ code: 'forbidden', details: { status: 401 } });
  });
});
