import { describe, expect, it } from 'vitest';
import { parseClusterFile } from './parse-cluster-file.js';
import { parseGalaxy } from './parse-galaxy.js';

const file = {
  uuid: 'col-1',
  type: 'demo',
  name: 'Demo',
  description: 'demo',
  version: 4,
  source: 'tests',
  authors: ['a', 'b'],
  category: 'tool',
  values: [
    {
      value: 'Alpha',
      uuid: 'u-1',
      description: 'first',
      meta: { external_id: 'D1', synonyms: ['A', 'Al'], count: 3, flag: true, nested: { k: 1 }, none: null },
      related: [{ 'dest-uuid': 'u-2', type: 'similar', tags: ['estimative-language:likelihood-probability="likely"'] }],
    },
    { value: 'Beta', uuid: 'u-2', revoked: true },
  ],
};

function problemsOf(json: unknown): readonly string[] {
  const result = parseClusterFile(json);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
}

describe('parseClusterFile', () => {
  it('flattens values into clusters carrying the collection data, meta as MISP returns it', () => {
    const result = parseClusterFile(file);
    if (!result.ok) throw new Error(result.problems.join('; '));
    const [alpha, beta] = result.clusters;
    expect(alpha).toEqual({
      uuid: 'u-1',
      type: 'demo',
      value: 'Alpha',
      tag_name: 'misp-galaxy:demo="Alpha"',
      description: 'first',
      collection_uuid: 'col-1',
      source: 'tests',
      authors: ['a', 'b'],
      version: 4,
      category: 'tool',
      meta: { external_id: ['D1'], synonyms: ['A', 'Al'], count: ['3'], flag: ['true'], nested: ['{"k":1}'], none: [] },
      related: [{ 'dest-uuid': 'u-2', type: 'similar', tags: ['estimative-language:likelihood-probability="likely"'] }],
      revoked: false,
    });
    expect(beta).toMatchObject({ value: 'Beta', description: '', meta: {}, related: [], revoked: true });
  });

  it('keeps the first of two equal values and warns', () => {
    const result = parseClusterFile({ ...file, values: [{ value: 'A', uuid: '1' }, { value: 'A', uuid: '2' }] });
    expect(result.ok && result.clusters.map((c) => c.uuid)).toEqual(['1']);
    expect(result.ok && result.warnings).toEqual(['duplicate cluster value "A" (uuid 2) ignored']);
  });

  it('keeps a value with a quote (MISP does) but warns that its tag is not a machine tag', () => {
    const result = parseClusterFile({ ...file, values: [{ value: '"odd" name', uuid: '1' }] });
    expect(result.ok && result.clusters[0]?.tag_name).toBe('misp-galaxy:demo=""odd" name"');
    expect(result.ok && result.warnings).toEqual([`value "odd" name contains '"', so its tag name is not a parsable machine tag`]);
  });

  it.each([
    ['a non-object', 'x', 'a cluster file must be a JSON object'],
    ['no type', { ...file, type: undefined }, "missing required field 'type'"],
    ['no uuid', { ...file, uuid: undefined }, "missing required field 'uuid'"],
    ['a text version', { ...file, version: '4' }, "'version' must be an integer"],
    ['no values', { ...file, values: undefined }, "missing required field 'values'"],
    ['a value without uuid', { ...file, values: [{ value: 'x' }] }, "missing required field 'values[0].uuid'"],
    ['a value that is not an object', { ...file, values: ['x'] }, "'values[0]' must be an object"],
    ['meta that is not an object', { ...file, values: [{ value: 'x', uuid: '1', meta: [] }] }, `'meta' of "x" must be an object`],
    ['a relation without dest-uuid', { ...file, values: [{ value: 'x', uuid: '1', related: [{ type: 't' }] }] }, "missing required field 'values[0].related[0].dest-uuid'"],
    ['authors that are not strings', { ...file, authors: [1] }, "'authors[0]' must be a string"],
  ])('refuses %s', (_name, json, problem) => {
    expect(problemsOf(json)).toContain(problem);
  });
});

describe('parseGalaxy', () => {
  const galaxy = { uuid: 'g', name: 'Demo', type: 'demo', description: 'd', version: 1 };

  it('defaults the namespace to misp and the icon to empty, as MISP does', () => {
    expect(parseGalaxy(galaxy)).toEqual({ ok: true, galaxy: { ...galaxy, icon: '', namespace: 'misp' } });
  });

  it('keeps the kill chain order', () => {
    const result = parseGalaxy({ ...galaxy, kill_chain_order: { tea: ['black', 'green'] } });
    expect(result.ok && result.galaxy.kill_chain_order).toEqual({ tea: ['black', 'green'] });
  });

  it.each([
    ['no uuid', { ...galaxy, uuid: undefined }, "missing required field 'uuid'"],
    ['no description', { ...galaxy, description: undefined }, "missing required field 'description'"],
    ['a bad kill chain', { ...galaxy, kill_chain_order: { tea: [1] } }, "'kill_chain_order.tea' must be an array of strings"],
    ['a non-object', null, 'a galaxy must be a JSON object'],
  ])('refuses %s', (_name, json, problem) => {
    const result = parseGalaxy(json);
    expect(result.ok ? [] : result.problems).toContain(problem);
  });
});
