import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';
import { storeGalaxies } from '../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


describe.each(testEngines())('custom galaxy clusters synced between two instances (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let bOnA: string;
  let aOnB: string;
  const galaxy = new Map<TestServer, string>();

  async function cluster(s: TestServer, value: string, distribution: number, publish = true): Promise<J> {
    const r = await s.call('POST', `/galaxy_clusters/add/${galaxy.get(s) as string}`, { GalaxyCluster: { value, distribution: String(distribution), GalaxyElement: [{ key: 'synonyms', value: `${value} alias` }] } });
    expect(r.status, r.text).toBe(200);
    const c = (r.json as J).GalaxyCluster;
    if (publish) expect((await s.call('POST', `/galaxy_clusters/publish/${String(c.id)}`)).status).toBe(200);
    return c;
  }
  const run = async (s: TestServer, direction: 'pull' | 'push', id: string): Promise<J> => {
    const r = await s.call('POST', `/servers/${direction}/${id}`);
    expect(r.status, r.text).toBe(200);
    return r.json as J;
  };
  const viewOn = async (s: TestServer, uuid: string) => s.call('GET', `/galaxy_clusters/view/${uuid}`);

  beforeAll(async () => {
    a = await startTestServer(engine);
    b = await startTestServer(engine);
    for (const s of [a, b]) {
      await storeGalaxies(createIntelDocuments(s.store.connection.db), ['threat-actor']);
      galaxy.set(s, (((await s.call('GET', '/galaxies/index')).json as J[]).find((g) => g.Galaxy.type === 'threat-actor') as J).Galaxy.id);
    }
    const aUrl = await listen(a);
    const bUrl = await listen(b);
    const bSyncOnA = await addOrgUser(a, `PartnerB${engine}`, 5);
    const aSyncOnB = await addOrgUser(b, `PartnerA${engine}`, 5);
    const flags = { pull: true, push: true, pull_galaxy_clusters: true, push_galaxy_clusters: true };
    bOnA = ((await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: aSyncOnB.key, remote_org_id: bSyncOnA.orgId, ...flags } })).json as J).Server.id;
    aOnB = ((await b.call('POST', '/servers/add', { Server: { name: 'A', url: aUrl, authkey: bSyncOnA.key, remote_org_id: aSyncOnB.orgId, ...flags } })).json as J).Server.id;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('pushes a published cluster, then its edit, once each', async () => {
    const c = await cluster(a, 'Pushed Kitten', 3);
    const first = await run(a, 'push', bOnA);
    expect(first.report.galaxyClusters, JSON.stringify(first.report.galaxyClusters)).toMatchObject({ saved: 1, failed: 0 });
    const copy = (await viewOn(b, c.uuid)).json as J;
    // Both test instances call their host organisation ORGNAME: the receiver maps the creator by UUID, then by name.
    expect(copy.GalaxyCluster).toMatchObject({ value: 'Pushed Kitten', published: true, locked: true, distribution: '3', Orgc: { name: c.Orgc.name } });
    expect(copy.GalaxyCluster.GalaxyElement).toEqual([expect.objectContaining({ key: 'synonyms', value: 'Pushed Kitten alias' })]);
    expect((await run(a, 'push', bOnA)).report.galaxyClusters.sent).toBe(0);

    expect((await a.call('POST', `/galaxy_clusters/edit/${String(c.id)}`, { GalaxyCluster: { value: 'Pushed Cat' } })).status).toBe(200);
    expect((await a.call('POST', `/galaxy_clusters/publish/${String(c.id)}`)).status).toBe(200);
    expect((await run(a, 'push', bOnA)).report.galaxyClusters.saved).toBe(1);
    expect(((await viewOn(b, c.uuid)).json as J).GalaxyCluster.value).toBe('Pushed Cat');
  });

  it('pulls a published cluster, downgraded as MISP does, and not twice', async () => {
    const c = await cluster(b, 'Pulled Spider', 2);
    const first = await run(a, 'pull', bOnA);
    expect(first.report.galaxyClusters, JSON.stringify(first.report.galaxyClusters)).toMatchObject({ saved: 1, failed: 0 });
    expect(((await viewOn(a, c.uuid)).json as J).GalaxyCluster).toMatchObject({ value: 'Pulled Spider', distribution: '1', locked: true });
    const again = await run(a, 'pull', bOnA);
    expect(again.report.galaxyClusters.saved).toBe(0);
  });

  it('never pushes an organisation-only, community-only or unpublished cluster; a pull takes community-only as organisation-only', async () => {
    const [owl, crow, dove] = [await cluster(a, 'Org Only Owl', 0), await cluster(a, 'Community Crow', 1), await cluster(a, 'Draft Dove', 3, false)];
    const pushed = await run(a, 'push', bOnA);
    expect(pushed.report.galaxyClusters.saved, JSON.stringify(pushed.report.galaxyClusters)).toBe(0);
    for (const c of [owl, crow, dove]) expect((await viewOn(b, String(c?.uuid))).status, String(c?.value)).toBe(404);
    // B's sync user on A sees the community cluster (distribution 1) and pulls it down to its own organisation, as MISP pulls events.
    await run(b, 'pull', aOnB);
    expect((await viewOn(b, String(owl?.uuid))).status).toBe(404);
    expect((await viewOn(b, String(dove?.uuid))).status).toBe(404);
    expect(((await viewOn(b, String(crow?.uuid))).json as J).GalaxyCluster.distribution).toBe('0');
  });

  it('refuses a pushed cluster from a user who is not a sync user, and garbage', async () => {
    const user = await addOrgUser(b, `Plain${engine}`, 3);
    const body = { GalaxyCluster: { uuid: 'dddddddd-1111-4111-8111-000000000001', type: 'threat-actor', value: 'Sneaky', version: '5', distribution: '3', published: true } };
    expect((await b.call('POST', '/galaxies/pushCluster', body, user.key)).status).toBe(403);
    const bad = await b.call('POST', '/galaxies/pushCluster', { GalaxyCluster: { ...body.GalaxyCluster, distribution: 'lots' } });
    expect(bad.status).toBe(400);
    expect((await viewOn(b, body.GalaxyCluster.uuid)).status).toBe(404);
  });
});
