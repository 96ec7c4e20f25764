import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test-support/shared-data.js';
import { createGalaxyIndex, type GalaxyIndex } from './galaxy-index.js';
import { loadGalaxiesFromDir } from './galaxy-loader.js';

let index: GalaxyIndex;
beforeAll(() => {
  index = createGalaxyIndex(loadGalaxiesFromDir(sharedData('misp-galaxy')));
});

const T1059_TAG = 'misp-galaxy:mitre-attack-pattern="Command and Scripting Interpreter - T1059"';

describe('galaxy index over the upstream set', () => {
  it('finds a cluster by tag name, case-insensitively', () => {
    const cluster = index.byTagName(T1059_TAG);
    expect(cluster).toMatchObject({ uuid: '7385dfaf-6886-4229-9ecd-6fd678040830', type: 'mitre-attack-pattern', source: 'https://github.com/mitre/cti' });
    expect(cluster?.meta.external_id).toEqual(['T1059']);
    expect(cluster?.meta.kill_chain).toContain('attack-Windows:execution');
    expect(index.byTagName(T1059_TAG.toUpperCase())?.uuid).toBe(cluster?.uuid);
    expect(index.byTagName('misp-galaxy:mitre-attack-pattern="No such technique"')).toBeUndefined();
  });

  it('finds clusters by external id across the galaxies that carry it', () => {
    const hits = index.find('T1059');
    expect(hits.map((c) => c.type)).toContain('mitre-attack-pattern');
    expect(hits.every((c) => c.meta.external_id?.includes('T1059') === true)).toBe(true);
    expect(index.find('t1059.001').map((c) => c.value)).toContain('PowerShell - T1059.001');
    expect(index.find('T9999')).toEqual([]);
  });

  it('finds a threat actor by a synonym and by its value', () => {
    expect(index.find('Fancy Bear').map((c) => c.value)).toContain('APT28');
    expect(index.find('  apt28 ').some((c) => c.type === 'threat-actor')).toBe(true);
  });

  it('finds clusters by uuid, including uuids shared by two galaxies', () => {
    expect(index.byUuid('7385DFAF-6886-4229-9ecd-6fd678040830').map((c) => c.type).sort()).toEqual(['mitre-attack-pattern', 'mitre-enterprise-attack-attack-pattern']);
    expect(index.byUuid('00000000-0000-0000-0000-000000000000')).toEqual([]);
  });

  it('picks galaxy clusters out of a tag list', () => {
    expect(index.clustersForTags(['tlp:green', T1059_TAG, 'misp-galaxy:threat-actor="APT28"', 'misp-galaxy:nope="x"']).map((c) => c.value)).toEqual([
      'Command and Scripting Interpreter - T1059',
      'APT28',
    ]);
  });

  it('builds the Galaxy array of an event view, grouped by galaxy', () => {
    const [technique] = index.clustersForTags([T1059_TAG]);
    const [actor] = index.clustersForTags(['misp-galaxy:threat-actor="APT28"']);
    const [powershell] = index.find('T1059.001').filter((c) => c.type === 'mitre-attack-pattern');
    if (technique === undefined || actor === undefined || powershell === undefined) throw new Error('fixtures missing');
    const json = index.galaxyJson([technique, { cluster: actor, extra: { tag_id: '12', local: false } }, powershell, technique], {
      galaxyId: (g) => (g.type === 'threat-actor' ? '7' : undefined),
    });
    expect(json.map((g) => [g.type, g.GalaxyCluster.length])).toEqual([
      ['mitre-attack-pattern', 2],
      ['threat-actor', 1],
    ]);
    const [attack, actors] = json;
    expect(attack).toMatchObject({ uuid: 'c4e851fa-775f-11e7-8163-b774922098cd', name: 'Attack Pattern', namespace: 'mitre-attack', icon: 'map', version: '15' });
    expect(attack?.id).toBeUndefined();
    expect(attack?.GalaxyCluster[0]).toMatchObject({
      uuid: technique.uuid,
      collection_uuid: 'dcb864dc-775f-11e7-9fbb-1f41b4996683',
      type: 'mitre-attack-pattern',
      value: technique.value,
      tag_name: T1059_TAG,
      source: 'https://github.com/mitre/cti',
      authors: ['MITRE'],
      version: '36',
      distribution: '3',
      default: true,
      meta: technique.meta,
    });
    expect(actors?.id).toBe('7');
    expect(actors?.GalaxyCluster[0]).toMatchObject({ galaxy_id: '7', tag_id: '12', local: false, value: 'APT28' });
  });

  it('leaves out clusters whose galaxy is unknown', () => {
    const [cluster] = index.clustersForTags([T1059_TAG]);
    if (cluster === undefined) throw new Error('fixture missing');
    expect(createGalaxyIndex({ galaxies: [], clusters: [cluster] }).galaxyJson([cluster])).toEqual([]);
  });
});
