import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir, sharedData } from '../test-support/shared-data.js';
import { loadBuiltinTaxonomies, loadTaxonomiesFromDir } from './taxonomy-loader.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

const good = { namespace: 'good', description: 'fine', version: 1, predicates: [{ value: 'a' }] };

describe('loadTaxonomiesFromDir', () => {
  it('loads the full upstream misp-taxonomies set without errors', () => {
    const { taxonomies, errors, warnings } = loadTaxonomiesFromDir(sharedData('misp-taxonomies'));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    // Every folder of the snapshot that holds a machinetag.json (MANIFEST.json lists the same set).
    expect(taxonomies).toHaveLength(183);
    expect(new Set(taxonomies.map((t) => t.namespace)).size).toBe(183);
  });

  it('ships the six built-in taxonomies', () => {
    expect(loadBuiltinTaxonomies().map((t) => t.namespace).sort()).toEqual(['PAP', 'admiralty-scale', 'estimative-language', 'misp', 'tlp', 'workflow']);
  });

  it('reports bad files by name and still loads the others', () => {
    const scratch = scratchDir({
      'good/machinetag.json': good,
      'broken/machinetag.json': '{"namespace": "broken",',
      'incomplete/machinetag.json': { namespace: 'incomplete', predicates: [{ value: 'x' }] },
      'tools/README.md': 'not a taxonomy folder',
      'LICENSE.md': 'ignored file',
    });
    cleanups.push(scratch.remove);
    const { taxonomies, errors } = loadTaxonomiesFromDir(scratch.dir);
    expect(taxonomies.map((t) => t.namespace)).toEqual(['good']);
    expect(errors).toHaveLength(2);
    expect(errors[0]?.file).toBe(`${scratch.dir}/broken/machinetag.json`);
    expect(errors[0]?.message).toMatch(/^invalid JSON: /);
    expect(errors[1]).toEqual({
      file: `${scratch.dir}/incomplete/machinetag.json`,
      message: "missing required field 'description'; missing required field 'version'",
    });
  });

  it('reports a missing directory instead of throwing', () => {
    const { taxonomies, errors } = loadTaxonomiesFromDir('/nonexistent/waggle-taxonomies');
    expect(taxonomies).toEqual([]);
    expect(errors[0]?.file).toBe('/nonexistent/waggle-taxonomies');
    expect(errors[0]?.message).toMatch(/^cannot read directory: .*ENOENT/);
  });
});
