import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBuiltinTaxonomies, parseTaxonomy } from '@waggle/intel';
import { createIntelDocuments, type IntelDocuments } from '@waggle/store';
import { startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { CLUSTER_ID_STRIDE } from './galaxy-catalogue.js';
import { createIntelService } from './intel-service.js';
import { taxonomyDocument } from './data-sources.js';
import { exclusivityConflict } from './tag-guard.js';
import { storeGalaxies, storeTaxonomies, storeWarninglists } from './test-support/intel-fixtures.js';

describe('taxonomyDocument', () => {
  it('writes machinetag.json that parses back to the same taxonomy', () => {
    for (const t of loadBuiltinTaxonomies()) {
      const parsed = parseTaxonomy(JSON.parse(taxonomyDocument(t)));
      expect(parsed.ok && parsed.taxonomy).toEqual(t);
    }
  });
});

describe.each(testEngines())('intel service on %s', (engine) => {
  let s: TestServer;
  let docs: IntelDocuments;

  beforeAll(async () => {
    s = await startTestServer(engine);
    docs = createIntelDocuments(s.store.connection.db);
  });
  afterAll(async () => {
    await s.close();
  });

  it('seeds the built-in taxonomies the store lacks, enabled, and leaves existing ones alone', async () => {
    await storeTaxonomies(docs, ['tlp'], false);
    const intel = createIntelService({ documents: docs, store: s.store });
    const { items, index } = await intel.taxonomies();
    const names = items.map((i) => i.value.namespace);
    expect(names).toEqual(expect.arrayContaining(['PAP', 'workflow', 'admiralty-scale', 'estimative-language', 'misp', 'tlp']));
    expect(items.find((i) => i.value.namespace === 'tlp')?.enabled).toBe(false);
    expect(items.find((i) => i.value.namespace === 'PAP')?.enabled).toBe(true);
    // A disabled taxonomy imposes no rule.
    expect(exclusivityConflict(index, 'tlp:red', ['tlp:amber'])).toBeUndefined();
    await intel.setEnabled('taxonomy', 'TLP', true);
    expect(exclusivityConflict((await intel.taxonomies()).index, 'tlp:red', ['tlp:amber'])).toContain('exclusive');
    // A second service on the same store seeds nothing new.
    const before = (await docs.list('taxonomy')).length;
    await createIntelService({ documents: docs, store: s.store }).taxonomies();
    expect((await docs.list('taxonomy')).length).toBe(before);
  });

  it('caches catalogues and re-parses only the documents that changed', async () => {
    await storeWarninglists(docs, ['rfc1918', 'empty-hashes', 'public-dns-v4'], false);
    const intel = createIntelService({ documents: docs, store: s.store });
    const first = await intel.warninglists();
    expect(await intel.warninglists()).toBe(first);
    expect(first.matcher.match('ip-dst', '10.0.0.1')).toEqual([]);
    const get = vi.spyOn(docs, 'get');
    await intel.setEnabled('warninglist', 'List of RFC 1918 CIDR blocks', true);
    const second = await intel.warninglists();
    expect(second).not.toBe(first);
    expect(get.mock.calls.filter(([kind]) => kind === 'warninglist')).toHaveLength(1);
    get.mockRestore();
    const hit = second.matcher.match('ip-dst', '10.0.0.1')[0];
    expect(hit?.list).toBe('List of RFC 1918 CIDR blocks');
    expect(second.byId(Number(hit?.id))?.name).toBe('rfc1918');
    await expect(intel.setEnabled('warninglist', 'no such list', true)).rejects.toThrow('No warninglist');
  });

  it('reports unusable stored documents and loads the others', async () => {
    await docs.upsert('warninglist', 'zz-broken', '1', '{"name": "broken"}', true);
    await docs.upsert('warninglist', 'zz-notjson', '1', 'nope', true);
    const intel = createIntelService({ documents: docs, store: s.store });
    const { items } = await intel.warninglists();
    expect(items.map((i) => i.name)).not.toContain('zz-broken');
    expect(items.map((i) => i.name)).toContain('rfc1918');
    expect(intel.problems().join('\n')).toMatch(/zz-broken[\s\S]*zz-notjson|zz-notjson[\s\S]*zz-broken/);
  });

  it('gives clusters ids derived from their file row and position, stable across reloads', async () => {
    await storeGalaxies(docs, ['threat-actor']);
    const intel = createIntelService({ documents: docs, store: s.store });
    const g = await intel.galaxies();
    const row = (await docs.get('galaxy-clusters', 'threat-actor'))?.id ?? 0;
    const apt1 = g.clusterForTag('misp-galaxy:threat-actor="APT1"');
    expect(apt1?.id).toBe(row * CLUSTER_ID_STRIDE + 1);
    expect(g.cluster(apt1?.cluster.uuid ?? '')?.id).toBe(apt1?.id);
    expect(g.galaxy('threat-actor')?.id).toBe((await docs.get('galaxy', 'threat-actor'))?.id);
    await intel.reload();
    expect((await intel.galaxies()).clusterForTag('misp-galaxy:threat-actor="APT1"')?.id).toBe(apt1?.id);
  });
});
