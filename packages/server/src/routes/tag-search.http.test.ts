import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntelDocuments } from '@waggle/store';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { storeGalaxies, storeTaxonomies } from '../intel/test-support/intel-fixtures.js';
import { likePattern } from './tag-search.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APT1 = 'misp-galaxy:threat-actor="APT1"';

describe('likePattern (SQL LIKE as MISP matches tag names)', () => {
  it('treats % as any run, _ as one character, \\ as an escape, everything else literally', () => {
    expect(likePattern('tlp:%').test('tlp:amber')).toBe(true);
    expect(likePattern('tlp:%').test('xtlp:amber')).toBe(false);
    expect(likePattern('a_c').test('abc')).toBe(true);
    expect(likePattern('a_c').test('ac')).toBe(false);
    expect(likePattern('a\\_c').test('abc')).toBe(false);
    expect(likePattern('a\\_c').test('a_c')).toBe(true);
    expect(likePattern('a.c(d)').test('abc(d)')).toBe(false);
    expect(likePattern('a.c(d)').test('a.c(d)')).toBe(true);
  });
});

describe.each(testEngines())('tag search (PyMISP search_tags, MISP tags/search) on %s', (engine) => {
  let s: TestServer;
  let user: { key: string };
  const ids = new Map<string, string>();

  /** PyMISP's search_tags(tagname, strict_tagname): POST tags/search {"tagname", "strict_tagname"}. */
  const search = async (tagname: unknown, strict = false, key?: string): Promise<J[]> => {
    const r = await s.call('POST', '/tags/search', { tagname, strict_tagname: strict }, key);
    expect(r.status, r.text).toBe(200);
    return r.json as J[];
  };
  const names = (list: J[]): string[] => list.map((e) => e.Tag.name as string);

  beforeAll(async () => {
    s = await startTestServer(engine);
    const docs = createIntelDocuments(s.store.connection.db);
    await storeTaxonomies(docs, ['osint'], false);
    await storeGalaxies(docs, ['threat-actor']);
    user = await addOrgUser(s, 'Search Org', 3);
    for (const name of ['tlp:white___test', 'tlp:amber', 'tlp:red', APT1, 'osint:source-type="blog-post"', 'osint:source-type="not-in-taxonomy"', 'foo_bar', 'fooXbar', 'Mixed Case Tag']) {
      const r = await s.call('POST', '/tags/add', { name });
      expect(r.status, r.text).toBe(200);
      ids.set(name, (r.json as J).Tag.id as string);
    }
  });
  afterAll(async () => {
    await s.close();
  });

  it("finds a tag by name (as test_tags does with search_tags('tlp:white___test')): a list of {Tag}, id order", async () => {
    const r = await search('tlp:white___test');
    expect(names(r)).toEqual(['tlp:white___test']);
    expect(r[0]).toEqual({ Tag: expect.objectContaining({ id: ids.get('tlp:white___test'), name: 'tlp:white___test', colour: expect.any(String), hide_tag: false }) });
    // Any user may search.
    expect(names(await search('tlp:white___test', false, user.key))).toEqual(['tlp:white___test']);
  });

  it('matches case-insensitively with % and _ wildcards, never as a bare substring', async () => {
    expect(names(await search('TLP:AMBER'))).toEqual(['tlp:amber']);
    expect(names(await search('tlp:%'))).toEqual(['tlp:white___test', 'tlp:amber', 'tlp:red']);
    expect(names(await search('%case%'))).toEqual(['Mixed Case Tag']);
    expect(names(await search('foo_bar'))).toEqual(['foo_bar', 'fooXbar']);
    expect(names(await search('foo\\_bar'))).toEqual(['foo_bar']);
    expect(await search('amber')).toEqual([]);
    expect(await search('no such tag')).toEqual([]);
    // Several terms at once (MISP's `tag` list).
    const r = await s.call('POST', '/tags/search', { tag: ['tlp:red', 'tlp:amber'] });
    expect(names(r.json as J[])).toEqual(['tlp:amber', 'tlp:red']);
  });

  it('adds Taxonomy and TaxonomyPredicate (with the matching TaxonomyEntry) to tags of a known taxonomy', async () => {
    const [amber] = await search('tlp:amber');
    expect(amber?.Taxonomy).toMatchObject({ namespace: 'tlp', id: expect.any(String), enabled: true });
    expect(amber?.TaxonomyPredicate).toMatchObject({ value: 'amber', exclusive: false, TaxonomyEntry: [] });
    const [blog] = await search('osint:source-type="blog-post"');
    expect(blog?.Taxonomy).toMatchObject({ namespace: 'osint', enabled: false });
    expect(blog?.TaxonomyPredicate).toMatchObject({ value: 'source-type', TaxonomyEntry: [expect.objectContaining({ value: 'blog-post' })] });
    // A value the taxonomy does not define, a predicate it does not define: plain tags.
    const [other] = await search('osint:source-type="not-in-taxonomy"');
    expect(Object.keys(other as J)).toEqual(['Tag']);
    const [white] = await search('tlp:white___test');
    expect(Object.keys(white as J)).toEqual(['Tag']);
  });

  it("finds a galaxy cluster's tag by the cluster's value or by a synonym (LIKE), with its GalaxyCluster", async () => {
    for (const term of ['apt1', 'Comment Crew', 'comment%', APT1]) {
      const r = await search(term);
      expect(names(r), term).toEqual([APT1]);
      expect(r[0]?.GalaxyCluster).toMatchObject({ value: 'APT1', tag_name: APT1, type: 'threat-actor' });
    }
  });

  it('strict_tagname: only the exact name, or the id; no wildcards, no case folding, no synonyms', async () => {
    expect(names(await search('tlp:amber', true))).toEqual(['tlp:amber']);
    expect(await search('TLP:AMBER', true)).toEqual([]);
    expect(await search('tlp:%', true)).toEqual([]);
    expect(await search('Comment Crew', true)).toEqual([]);
    expect(names(await search(ids.get('tlp:red'), true))).toEqual(['tlp:red']);
    expect(names(await search(Number(ids.get('tlp:red')), true))).toEqual(['tlp:red']);
    expect(names(await search(APT1, true))).toEqual([APT1]);
  });

  it('takes the term and the strict flag from the path too (tags/search/<tag>/<strict>)', async () => {
    const r = await s.call('GET', '/tags/search/tlp:amber');
    expect(names(r.json as J[])).toEqual(['tlp:amber']);
    expect(names((await s.call('GET', '/tags/search/TLP:AMBER/1')).json as J[])).toEqual([]);
    expect(names((await s.call('GET', '/tags/search/TLP:AMBER/0')).json as J[])).toEqual(['tlp:amber']);
    expect(names((await s.call('POST', '/tags/search', { Tag: { tag: 'tlp:red' } })).json as J[])).toEqual(['tlp:red']);
  });

  it('refuses a search without a term, with empty or non-string terms, and without a key', async () => {
    for (const body of [{}, { tagname: '' }, { tagname: '   ' }, { tagname: null }, { tagname: [] }, { tagname: [''] }, { tagname: { a: 1 } }, { tagname: ['tlp:red', 3.5] }, { tagname: true }]) {
      const r = await s.call('POST', '/tags/search', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as J).message).toMatch(/^Tag\.tagname/);
    }
    expect((await s.call('POST', '/tags/search', { tagname: 'tlp:red' }, 'x'.repeat(40))).status).toBe(403);
  });
});
