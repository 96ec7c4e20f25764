import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnrichment } from '../test-support/test-enrichment.js';
import { startMispModulesServer, type MispModulesServer } from './misp-modules-server.js';

type J = Record<string, unknown>;

describe('the misp-modules HTTP protocol over real HTTP', () => {
  const setup = testEnrichment();
  let server: MispModulesServer;
  beforeAll(async () => {
    server = await startMispModulesServer({ registry: setup.registry, host: '127.0.0.1', port: 0, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await server.close();
    setup.remove();
  });
  const query = async (body: unknown): Promise<{ status: number; json: J }> => {
    const res = await fetch(`${server.url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as J };
  };

  it('lists the modules in misp-modules format', async () => {
    const res = await fetch(`${server.url}/modules`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as J[];
    expect(list.map((m) => m.name)).toEqual(['asn', 'geolocation', 'warninglists', 'galaxy-context', 'cve']);
    expect(list[0]).toEqual({
      name: 'asn',
      type: 'expansion',
      mispattributes: { input: ['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port', 'domain|ip'], output: ['AS', 'ip-src', 'text'], format: 'misp_standard' },
      meta: { version: '1.0', author: 'waggle', description: expect.stringContaining('Autonomous system') as string, 'module-type': ['expansion', 'hover'], config: [] },
      moduleconfig: [],
    });
    expect(((await (await fetch(`${server.url}/healthcheck`)).json()) as J).status).toBe(true);
  });

  it('answers a misp_standard query with Attribute, Object and Tag', async () => {
    const asn = await query({ module: 'asn', attribute: { type: 'ip-src', value: '1.0.0.7', uuid: '5f6a2b1c-0000-4000-8000-000000000001' }, config: {} });
    expect(asn.status).toBe(200);
    const results = asn.json.results as { Attribute: J[]; Object: { name: string; Attribute: J[] }[]; Tag: J[] };
    expect(results.Object[0]?.name).toBe('asn');
    expect(results.Object[0]?.Attribute.map((a) => a.value)).toEqual(['13335', '1.0.0.0/24', 'Cloudflare, Inc.']);
    const galaxy = await query({ module: 'galaxy-context', attribute: { type: 'text', value: 'ssh-bruteforce' } });
    expect((galaxy.json.results as { Tag: J[] }).Tag).toEqual([{ name: 'misp-galaxy:mitre-attack-pattern="Brute Force - T1110"' }]);
  });

  it('answers the simple form with types and values', async () => {
    const r = await query({ module: 'geolocation', 'ip-dst': '2001:200::99' });
    expect(r.json).toEqual({ results: [{ types: ['text'], values: ['JP', 'Japan'] }] });
    const wl = await query({ module: 'warninglists', 'ip-src': '8.8.8.8' });
    const types = (wl.json.results as { types: string[]; values: string[] }[]).map((x) => x.types[0]);
    expect(types).toEqual(['text']);
    expect((wl.json.results as { values: string[] }[])[0]?.values).toContain('false-positive:risk="high"');
  });

  it('answers bad queries with {error}', async () => {
    expect((await query({ module: 'nope', 'ip-src': '1.1.1.1' })).json.error).toMatch(/unknown enrichment module "nope"/);
    expect((await query({ 'ip-src': '1.1.1.1' })).json.error).toMatch(/names no "module"/);
    expect((await query({ module: 'cve', attribute: { type: 'ip-src', value: '1.1.1.1' } })).json.error).toMatch(/Unsupported attribute type "ip-src"/);
    expect((await query({ module: 'cve', 'ip-src': '1.1.1.1' })).json.error).toMatch(/Unsupported attribute type/);
    expect((await query({ module: 'asn', attribute: { type: 'ip-src', value: 'not-an-ip' } })).json.error).toMatch(/not a valid ip-src value/);
    expect((await query({ module: 'asn', attribute: 'x' })).json.error).toMatch(/"attribute" must be an object/);
    expect((await query([1, 2])).json.error).toMatch(/JSON object/);
    const notJson = await query('{nope');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not JSON/);
    const big = await query({ module: 'asn', 'ip-src': '1.1.1.1', pad: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    const wrong = await fetch(`${server.url}/nope`);
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as J).error).toMatch(/GET \/modules or POST \/query/);
    expect((await fetch(`${server.url}/query`)).status).toBe(405);
  });
});
