import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { storeGalaxies } from '../../intel/test-support/intel-fixtures.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('custom galaxy clusters over the MISP API (%s)', (engine) => {
  let s: TestServer;
  let other: { key: string };
  let galaxyId: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    await storeGalaxies(createIntelDocuments(s.store.connection.db), ['threat-actor']);
    other = await addOrgUser(s, 'OtherOrg', 3);
    const galaxies = (await s.call('GET', '/galaxies/index')).json as J[];
    galaxyId = (galaxies.find((g) => g.Galaxy.type === 'threat-actor') as J).Galaxy.id;
  });
  afterAll(async () => {
    await s.close();
  });

  // PyMISP add_galaxy_cluster: POST galaxy_clusters/add/<galaxy id> with {"GalaxyCluster": {...}}.
  const add = async (value: string, extra: J = {}): Promise<J> => {
    const r = await s.call('POST', `/galaxy_clusters/add/${galaxyId}`, { GalaxyCluster: { value, description: `${value} desc`, authors: ['CERT-X'], distribution: '3', GalaxyElement: [{ key: 'synonyms', value: `${value}-alias` }, { key: 'refs', value: 'https://example.org/x' }], ...extra } });
    expect(r.status, r.text).toBe(200);
    return (r.json as J).GalaxyCluster;
  };

  it('creates, edits, publishes and deletes a cluster, and shows it only as its distribution allows', async () => {
    const c = await add('Sandworm Jr');
    expect(c).toMatchObject({ value: 'Sandworm Jr', type: 'threat-actor', tag_name: 'misp-galaxy:threat-actor="Sandworm Jr"', default: false, published: false, authors: ['CERT-X'] });
    expect(c.GalaxyElement.map((e: J) => e.key)).toEqual(['synonyms', 'refs']);
    // Unpublished: the other organisation cannot see it yet.
    expect((await s.call('GET', `/galaxy_clusters/view/${String(c.uuid)}`, undefined, other.key)).status).toBe(404);

    const edited = await s.call('POST', `/galaxy_clusters/edit/${String(c.id)}`, { GalaxyCluster: { value: 'Sandworm Junior', GalaxyElement: [{ key: 'country', value: 'XX' }] } });
    expect(edited.status, edited.text).toBe(200);
    const e = (edited.json as J).GalaxyCluster;
    expect(Number(e.version)).toBeGreaterThan(Number(c.version));
    expect(e.GalaxyElement).toEqual([expect.objectContaining({ key: 'country', value: 'XX' })]);
    expect((await s.call('POST', `/galaxy_clusters/edit/${String(c.id)}`, { GalaxyCluster: { distribution: '9' } })).status).toBe(400);
    // Without perm_galaxy_editor the other organisation's user may not edit at all.
    expect((await s.call('POST', `/galaxy_clusters/edit/${String(c.id)}`, { GalaxyCluster: { value: 'x' } }, other.key)).status).toBe(403);

    expect((await s.call('POST', `/galaxy_clusters/publish/${String(c.id)}`)).status).toBe(200);
    const seen = await s.call('GET', `/galaxy_clusters/view/${String(c.uuid)}`, undefined, other.key);
    expect(seen.status, seen.text).toBe(200);
    expect((seen.json as J).GalaxyCluster).toMatchObject({ value: 'Sandworm Junior', published: true, Orgc: { name: 'ORGNAME' } });
    // The other organisation may read it but not change it.
    expect((await s.call('POST', `/galaxy_clusters/delete/${String(c.id)}`, {}, other.key)).status).toBe(403);

    const listed = (await s.call('POST', `/galaxy_clusters/index/${galaxyId}`, { context: 'custom' }, other.key)).json as J[];
    expect(listed.map((x) => x.GalaxyCluster.value)).toEqual(['Sandworm Junior']);

    expect((await s.call('POST', `/galaxy_clusters/delete/${String(c.id)}`, {})).status).toBe(200);
    expect((await s.call('GET', `/galaxy_clusters/view/${String(c.uuid)}`, undefined, other.key)).status).toBe(404);
    const deleted = (await s.call('POST', `/galaxy_clusters/index/${galaxyId}`, { context: 'deleted' })).json as J[];
    expect(deleted.map((x) => x.GalaxyCluster.value)).toEqual(['Sandworm Junior']);
    expect((await s.call('POST', `/galaxy_clusters/delete/${String(c.id)}`, { hard: 1 })).status).toBe(200);
    expect((await s.call('GET', `/galaxy_clusters/view/${String(c.uuid)}`)).status).toBe(404);
  });

  it('keeps an organisation-only cluster from other organisations, even published', async () => {
    const c = await add('Private Bear', { distribution: '0' });
    expect((await s.call('POST', `/galaxy_clusters/publish/${String(c.id)}`)).status).toBe(200);
    expect((await s.call('GET', `/galaxy_clusters/view/${String(c.id)}`, undefined, other.key)).status).toBe(404);
    const search = (await s.call('POST', '/galaxy_clusters/restSearch', { published: 1 }, other.key)).json as J;
    expect(search.response.map((x: J) => x.GalaxyCluster.value)).not.toContain('Private Bear');
    const mine = (await s.call('POST', '/galaxy_clusters/restSearch', { published: 1, minimal: 1 })).json as J;
    expect(mine.response).toContainEqual({ GalaxyCluster: expect.objectContaining({ uuid: c.uuid, version: expect.any(String) }) });
  });

  it('forks a cluster, refuses bad input, and shows custom clusters in events as tags and Galaxy', async () => {
    const parent = await add('Parent Panda');
    const fork = await s.call('POST', `/galaxy_clusters/add/${galaxyId}/forkUUID:${String(parent.uuid)}`, { GalaxyCluster: { value: 'Child Panda' } });
    expect(fork.status, fork.text).toBe(200);
    expect((fork.json as J).GalaxyCluster).toMatchObject({ extends_uuid: parent.uuid, value: 'Child Panda' });
    expect((fork.json as J).GalaxyCluster.GalaxyElement.map((e: J) => e.key)).toEqual(['synonyms', 'refs']);

    expect((await s.call('POST', `/galaxy_clusters/add/${galaxyId}`, { GalaxyCluster: { description: 'no value' } })).status).toBe(400);
    const badElement = await s.call('POST', `/galaxy_clusters/add/${galaxyId}`, { GalaxyCluster: { value: 'x', GalaxyElement: [{ key: 'k' }] } });
    expect(badElement.status).toBe(400);
    expect((badElement.json as J).field).toBe('GalaxyCluster.GalaxyElement[0]');
    expect((await s.call('POST', '/galaxy_clusters/add/999999', { GalaxyCluster: { value: 'x' } })).status).toBe(404);
    expect((await s.call('POST', `/galaxy_clusters/add/${galaxyId}`, { GalaxyCluster: { value: 'x' } }, other.key)).status).toBe(403);

    const ev = ((await s.call('POST', '/events/add', { info: 'tagged', distribution: '3', Tag: [{ name: parent.tag_name }], Attribute: [{ type: 'domain', value: 'panda.example' }] })).json as J).Event;
    expect((await s.call('POST', `/galaxy_clusters/publish/${String(parent.id)}`)).status).toBe(200);
    const view = ((await s.call('GET', `/events/view/${String(ev.id)}`, undefined, other.key)).json as J).Event;
    const group = (view.Galaxy as J[]).find((g) => g.type === 'threat-actor');
    expect(group?.GalaxyCluster.map((c: J) => c.value)).toContain('Parent Panda');
  });
});
