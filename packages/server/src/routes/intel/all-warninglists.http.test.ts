import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { storeWarninglists } from '../../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('every upstream warninglist enabled, on %s', (engine) => {
  let s: TestServer;
  let count = 0;

  beforeAll(async () => {
    s = await startTestServer(engine);
    count = await storeWarninglists(createIntelDocuments(s.store.connection.db), undefined, true);
    const attrs = [
      { type: 'ip-dst', value: '8.8.8.8', to_ids: true }, // public-dns-v4
      { type: 'domain', value: 'google.com', to_ids: true }, // top sites
      { type: 'ip-src', value: '192.168.10.10', to_ids: true }, // RFC 1918
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', to_ids: true }, // empty file
      { type: 'ip-dst', value: '198.51.100.77', to_ids: true }, // TEST-NET-2: rfc5735 lists it
      { type: 'domain', value: 'x7q-unlisted-c2.example.invalid', to_ids: true },
      { type: 'sha256', value: '2f1c5a0e4b6f0d8c9a3e7b1d5f9c2a4e6b8d0f1a3c5e7a9b1d3f5a7c9e1b3d5f', to_ids: true },
    ];
    await s.call('POST', '/events/add', { info: 'all lists', Attribute: attrs });
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  it('loads them all and drops listed attributes from restSearch', async () => {
    const index = ((await s.call('GET', '/warninglists/index')).json as J).Warninglists as J[];
    expect(index).toHaveLength(count);
    expect(count).toBeGreaterThan(100);
    expect(index.every((w) => w.Warninglist.enabled === true)).toBe(true);
    const r = await s.call('POST', '/attributes/restSearch', { eventinfo: 'all lists', enforceWarninglist: 1 });
    expect(r.status).toBe(200);
    const kept = ((r.json as J).response.Attribute as J[]).map((a) => a.value).sort();
    expect(kept).toEqual(['2f1c5a0e4b6f0d8c9a3e7b1d5f9c2a4e6b8d0f1a3c5e7a9b1d3f5a7c9e1b3d5f', 'x7q-unlisted-c2.example.invalid']);
    const hits = ((await s.call('POST', '/attributes/restSearch', { eventinfo: 'all lists', includeWarninglistHits: 1 })).json as J).response.Attribute as J[];
    const names = (v: string) => ((hits.find((a) => a.value === v) as J).warnings as J[] | undefined ?? []).map((w) => w.warninglist_name as string);
    expect(names('8.8.8.8').some((n) => /DNS/i.test(n))).toBe(true);
    expect(names('192.168.10.10')).toContain('List of RFC 1918 CIDR blocks');
    expect(names('x7q-unlisted-c2.example.invalid')).toEqual([]);
  }, 120_000);
});
