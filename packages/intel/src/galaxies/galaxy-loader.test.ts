import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir, sharedData } from '../test-support/shared-data.js';
import { loadGalaxiesFromDir } from './galaxy-loader.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

const galaxy = { uuid: 'g-1', name: 'Demo', type: 'demo', description: 'demo galaxy', version: 2, icon: 'bug' };
const clusters = {
  uuid: 'c-1',
  type: 'demo',
  name: 'Demo',
  description: 'demo clusters',
  version: 7,
  source: 'tests',
  authors: ['me'],
  category: 'tool',
  values: [{ value: 'Alpha', uuid: 'u-1', meta: { synonyms: ['A'] } }],
};

describe('loadGalaxiesFromDir', () => {
  it('loads the full upstream galaxy set (all MITRE ATT&CK clusters) without errors', () => {
    const loaded = loadGalaxiesFromDir(sharedData('misp-galaxy'));
    expect(loaded.errors).toEqual([]);
    expect(loaded.galaxies).toHaveLength(131);
    // 43 cluster files, 11975 values; upstream repeats a value in a few files (reported as warnings).
    const duplicates = loaded.warnings.filter((w) => w.message.startsWith('duplicate cluster value '));
    expect(loaded.clusters.length + duplicates.length).toBe(11975);
    // The one genuinely odd upstream value: a name in quotes (kept, as MISP keeps it).
    expect(loaded.warnings.filter((w) => !duplicates.includes(w))).toEqual([
      { file: sharedData('misp-galaxy/clusters/ransomware.json'), message: expect.stringContaining('"prepending (enc) ransomware" (Not an official name)') as unknown },
    ]);
    expect(loaded.clusters.filter((c) => c.type === 'mitre-attack-pattern').length).toBeGreaterThan(1000);
  });

  it('reports bad and orphan files by name and loads the rest', () => {
    const scratch = scratchDir({
      'galaxies/demo.json': galaxy,
      'galaxies/broken.json': '{',
      'galaxies/noname.json': { ...galaxy, name: undefined, type: 'other' },
      'clusters/demo.json': clusters,
      'clusters/orphan.json': { ...clusters, type: 'nobody' },
      'clusters/bad-value.json': { ...clusters, values: [{ value: 'x', uuid: 'u-2' }, { uuid: 'u-3' }] },
    });
    cleanups.push(scratch.remove);
    const loaded = loadGalaxiesFromDir(scratch.dir);
    expect(loaded.galaxies.map((g) => g.type)).toEqual(['demo']);
    expect(loaded.clusters.map((c) => c.value)).toEqual(['Alpha']);
    expect(loaded.errors).toEqual([
      { file: `${scratch.dir}/galaxies/broken.json`, message: expect.stringMatching(/^invalid JSON: /) as unknown },
      { file: `${scratch.dir}/galaxies/noname.json`, message: "missing required field 'name'" },
      { file: `${scratch.dir}/clusters/bad-value.json`, message: "missing required field 'values[1].value'" },
      { file: `${scratch.dir}/clusters/orphan.json`, message: `no galaxy of type "nobody" in ${scratch.dir}/galaxies; clusters ignored` },
    ]);
  });

  it('reports missing folders', () => {
    const scratch = scratchDir({ 'galaxies/demo.json': galaxy });
    cleanups.push(scratch.remove);
    const loaded = loadGalaxiesFromDir(scratch.dir);
    expect(loaded.galaxies).toHaveLength(1);
    expect(loaded.errors.map((e) => e.file)).toEqual([`${scratch.dir}/clusters`]);
  });
});
