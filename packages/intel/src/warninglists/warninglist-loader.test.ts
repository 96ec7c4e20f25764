import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../test-support/shared-data.js';
import { loadWarninglistsFromDir } from './warninglist-loader.js';
import { parseWarninglist } from './parse-warninglist.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

const good = { name: 'Good', description: 'ok', version: 2, type: 'cidr', matching_attributes: ['ip-src'], list: ['10.0.0.0/8', ''] };

describe('parseWarninglist', () => {
  it("applies MISP's defaults: type string, matching ALL, category false_positive; drops empty entries", () => {
    const result = parseWarninglist({ name: 'n', description: 'd', version: 1, list: ['a', ''] }, 'my-id');
    expect(result).toEqual({
      ok: true,
      warninglist: { id: 'my-id', name: 'n', description: 'd', version: 1, type: 'string', category: 'false_positive', matching_attributes: ['ALL'], list: ['a'] },
    });
  });

  it('accepts a type array, a known category and a list with comments', () => {
    const result = parseWarninglist({ name: 'n', description: 'd', version: 1, type: ['hostname'], category: 'known', list: { 'a.com': 'first', 'b.com': '' } });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.warninglist).toMatchObject({ type: 'hostname', category: 'known', list: ['a.com', 'b.com'] });
    expect(result.warninglist.comments).toEqual(new Map([['a.com', 'first']]));
  });

  it.each([
    ['a non-object', [], 'a warninglist must be a JSON object'],
    ['no name', { ...good, name: undefined }, "missing required field 'name'"],
    ['no description', { ...good, description: undefined }, "missing required field 'description'"],
    ['no version', { ...good, version: undefined }, "missing required field 'version'"],
    ['an unknown type', { ...good, type: 'fuzzy' }, `'type' must be one of string, substring, hostname, cidr, regex (got "fuzzy")`],
    ['an unknown category', { ...good, category: 'maybe' }, `'category' must be false_positive or known (got "maybe")`],
    ['no list', { ...good, list: undefined }, "missing required field 'list'"],
    ['a non-string entry', { ...good, list: ['a', 3] }, "'list[1]' must be a string"],
    ['a text list', { ...good, list: 'a' }, "'list' must be an array of strings or an object of comments"],
    ['bad matching_attributes', { ...good, matching_attributes: 'ip-src' }, "'matching_attributes' must be an array of strings"],
  ])('refuses %s', (_name, json, problem) => {
    const result = parseWarninglist(json);
    expect(result.ok ? [] : result.problems).toContain(problem);
  });
});

describe('loadWarninglistsFromDir', () => {
  it('reports bad files by name and loads the others (ids from folder names)', () => {
    const scratch = scratchDir({
      'lists/good/list.json': good,
      'lists/broken/list.json': '[1,',
      'lists/nameless/list.json': { ...good, name: undefined },
      'lists/twin/list.json': good,
      'lists/empty-folder/README.md': 'no list here',
    });
    cleanups.push(scratch.remove);
    const { lists, errors } = loadWarninglistsFromDir(scratch.dir);
    expect(lists.map((l) => [l.id, l.name, l.list])).toEqual([['good', 'Good', ['10.0.0.0/8']]]);
    expect(errors).toEqual([
      { file: `${scratch.dir}/lists/broken/list.json`, message: expect.stringMatching(/^invalid JSON: /) as unknown },
      { file: `${scratch.dir}/lists/nameless/list.json`, message: "missing required field 'name'" },
      { file: `${scratch.dir}/lists/twin/list.json`, message: 'another list is already named "Good"; file ignored' },
    ]);
  });

  it('accepts a folder holding the list folders directly, and reports a missing folder', () => {
    const scratch = scratchDir({ 'good/list.json': good });
    cleanups.push(scratch.remove);
    expect(loadWarninglistsFromDir(scratch.dir).lists).toHaveLength(1);
    const missing = loadWarninglistsFromDir(`${scratch.dir}/nope`);
    expect(missing.lists).toEqual([]);
    expect(missing.errors[0]?.message).toMatch(/^cannot read directory: /);
  });
});
