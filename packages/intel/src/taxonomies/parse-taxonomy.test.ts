import { describe, expect, it } from 'vitest';
import { parseTaxonomy } from './parse-taxonomy.js';

const minimal = {
  namespace: 'demo',
  description: 'Demo taxonomy',
  version: 3,
  exclusive: false,
  predicates: [
    { value: 'level', expanded: 'Level', exclusive: true },
    { value: 'flag', colour: '#ff0000', numerical_value: 5 },
  ],
  values: [
    { predicate: 'level', entry: [{ value: 'low', numerical_value: 10 }, { value: 'high', expanded: 'High', colour: '#00ff00' }] },
  ],
};

function problemsOf(json: unknown): readonly string[] {
  const result = parseTaxonomy(json);
  if (result.ok) throw new Error('expected the taxonomy to be refused');
  return result.problems;
}

describe('parseTaxonomy', () => {
  it('folds values into their predicates and keeps the optional fields', () => {
    const result = parseTaxonomy(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { taxonomy } = result;
    expect(taxonomy.namespace).toBe('demo');
    expect(taxonomy.version).toBe(3);
    expect(taxonomy.exclusive).toBe(false);
    expect(taxonomy.predicates.map((p) => [p.value, p.exclusive, p.entries.length])).toEqual([
      ['level', true, 2],
      ['flag', false, 0],
    ]);
    expect(taxonomy.predicates[0]?.entries[0]).toEqual({ value: 'low', numerical_value: 10 });
    expect(taxonomy.predicates[1]).toMatchObject({ colour: '#ff0000', numerical_value: 5 });
    expect(result.warnings).toEqual([]);
  });

  it('merges two values blocks for the same predicate, as MISP does', () => {
    const result = parseTaxonomy({ ...minimal, values: [...minimal.values, { predicate: 'level', entry: [{ value: 'mid' }] }] });
    expect(result.ok && result.taxonomy.predicates[0]?.entries.map((e) => e.value)).toEqual(['low', 'high', 'mid']);
  });

  it('warns about unknown fields and duplicates but keeps the taxonomy', () => {
    const result = parseTaxonomy({
      ...minimal,
      colour: 'x',
      predicates: [...minimal.predicates, { value: 'flag' }],
      values: [{ predicate: 'level', entry: [{ value: 'low' }, { value: 'low' }] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual(["unknown field 'colour' ignored", 'duplicate predicate "flag" ignored', 'duplicate value "low" of predicate "level" ignored']);
    expect(result.taxonomy.predicates).toHaveLength(2);
  });

  it.each([
    ['a non-object', [], 'a taxonomy must be a JSON object'],
    ['no namespace', { ...minimal, namespace: undefined }, "missing required field 'namespace'"],
    ['an empty namespace', { ...minimal, namespace: '' }, "'namespace' must be a non-empty string"],
    ['a namespace with a colon', { ...minimal, namespace: 'a:b' }, `'namespace' must not contain ':', '=' or '"' (got "a:b")`],
    ['no description', { ...minimal, description: undefined }, "missing required field 'description'"],
    ['no version', { ...minimal, version: undefined }, "missing required field 'version'"],
    ['a text version', { ...minimal, version: '2' }, "'version' must be an integer"],
    ['no predicates', { ...minimal, predicates: undefined }, "missing required field 'predicates'"],
    ['empty predicates', { ...minimal, predicates: [], values: [] }, "'predicates' must not be empty"],
    ['a predicate without value', { ...minimal, predicates: [{ expanded: 'x' }] }, "missing required field 'predicates[0].value'"],
    ['a non-boolean exclusive', { ...minimal, exclusive: 'yes' }, "'exclusive' must be true or false"],
    ['a text numerical_value', { ...minimal, values: [{ predicate: 'level', entry: [{ value: 'x', numerical_value: '1' }] }] }, "'values[0].entry[0].numerical_value' must be a number"],
    ['a value for an undeclared predicate', { ...minimal, values: [{ predicate: 'nope', entry: [{ value: 'x' }] }] }, `'values' refers to predicate "nope" which is not declared in 'predicates'`],
    ['values without entry', { ...minimal, values: [{ predicate: 'level' }] }, "missing required field 'values[0].entry'"],
    ['a bad type', { ...minimal, type: ['event', 'galaxy'] }, "'type' may only hold org, user, attribute, event (got \"galaxy\")"],
    ['a value with a quote', { ...minimal, values: [{ predicate: 'level', entry: [{ value: 'a"b' }] }] }, 'value "a"b" of predicate "level" must not contain \'"\''],
  ])('refuses %s', (_name, json, problem) => {
    expect(problemsOf(json)).toContain(problem);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ predicates: 'x' })).toEqual([
      "missing required field 'namespace'",
      "missing required field 'description'",
      "missing required field 'version'",
      "'predicates' must be an array",
    ]);
  });
});
