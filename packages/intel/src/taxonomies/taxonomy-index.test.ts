import { describe, expect, it } from 'vitest';
import { parseTaxonomy } from './parse-taxonomy.js';
import { taxonomyPalette } from './tag-colour.js';
import type { Taxonomy } from './taxonomy.js';
import { createTaxonomyIndex } from './taxonomy-index.js';
import { loadBuiltinTaxonomies } from './taxonomy-loader.js';

const index = createTaxonomyIndex(loadBuiltinTaxonomies());

function taxonomy(json: Record<string, unknown>): Taxonomy {
  const result = parseTaxonomy({ description: 'x', version: 1, ...json });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.taxonomy;
}

describe('describe', () => {
  it('describes a double tag of the built-in TLP taxonomy', () => {
    const red = index.describe('tlp:red');
    expect(red).toMatchObject({ name: 'tlp:red', colour: '#FF2B2B', exclusive_predicate: false });
    expect(red?.expanded).toBe('(TLP:RED) For the eyes and ears of individual recipients only, no further disclosure.');
    expect(red?.taxonomy.namespace).toBe('tlp');
    expect(red?.entry).toBeUndefined();
  });

  it('describes triple tags with their numerical value and MISP-style expansion', () => {
    const tag = index.describe('admiralty-scale:source-reliability="a"');
    expect(tag?.numerical_value).toBe(100);
    expect(tag?.expanded).toBe('Source Reliability: Completely reliable');
    expect(tag?.entry?.value).toBe('a');
    expect(tag?.predicate.exclusive).toBe(true);
    expect(index.describe('estimative-language:likelihood-probability="almost-no-chance"')?.numerical_value).toBe(0);
  });

  it('is case-insensitive, like MISP, and returns the canonical name', () => {
    expect(index.describe('TLP:RED')?.name).toBe('tlp:red');
    expect(index.describe('pap:amber')?.name).toBe('PAP:AMBER');
  });

  it('knows tags MISP cannot split (tlp:ex:chr) because the taxonomy defines them', () => {
    expect(index.describe('tlp:ex:chr')?.name).toBe('tlp:ex:chr');
  });

  it('returns undefined for unknown tags', () => {
    expect(index.describe('tlp:purple')).toBeUndefined();
    expect(index.describe('admiralty-scale:source-reliability="z"')).toBeUndefined();
    expect(index.describe('admiralty-scale:source-reliability')).toBeUndefined();
    expect(index.describe('malware')).toBeUndefined();
  });

  it('gives palette colours to tags without a colour, as MISP does', () => {
    const demo = taxonomy({ namespace: 'ab', predicates: [{ value: 'x' }, { value: 'y', colour: '#123456' }] });
    const tags = createTaxonomyIndex([demo]).allTags('ab');
    expect(tags?.map((t) => t.colour)).toEqual([taxonomyPalette('ab', 2)[0], '#123456']);
  });
});

describe('taxonomyPalette', () => {
  it('follows MISP ColourPaletteTool (hue from the character sum, brightness steps)', () => {
    // 'a'+'b' = 195 → hue 0.95 (sector 5), brightness 0.6 then 1.0 (f = 0.7).
    expect(taxonomyPalette('ab', 2)).toEqual(['#99002e', '#ff004d']);
    // 'tlp' = 336 → hue 0.36 (sector 2), first of 8 at brightness 0.3.
    expect(taxonomyPalette('tlp', 8)[0]).toBe('#004d0c');
  });
});

describe('allTags', () => {
  it('lists the tags a taxonomy defines, in file order', () => {
    const tlp = index.allTags('tlp');
    expect(tlp?.map((t) => t.name)).toEqual(['tlp:red', 'tlp:amber', 'tlp:amber+strict', 'tlp:green', 'tlp:white', 'tlp:clear', 'tlp:ex:chr', 'tlp:unclear']);
    const admiralty = index.allTags('admiralty-scale');
    expect(admiralty).toHaveLength(13);
    expect(admiralty?.[0]).toMatchObject({ name: 'admiralty-scale:source-reliability="a"', numerical_value: 100, exclusive_predicate: true });
    expect(index.allTags('nope')).toBeUndefined();
  });

  it('lists predicate-only tags for predicates without values', () => {
    const misp = index.allTags('misp');
    expect(misp?.some((t) => t.name === 'misp:should-not-sync')).toBe(true);
    expect(misp?.some((t) => t.name === 'misp:confidence-level')).toBe(false);
  });
});

describe('check (MISP exclusivity rules)', () => {
  it('flags two tags of an exclusive taxonomy', () => {
    expect(index.check(['tlp:red', 'tlp:amber', 'malware'])).toEqual([
      { kind: 'exclusive-taxonomy', namespace: 'tlp', tags: ['tlp:red', 'tlp:amber'], message: 'Taxonomy `tlp` is an exclusive Taxonomy' },
    ]);
    expect(index.check(['PAP:RED', 'PAP:GREEN'])[0]?.kind).toBe('exclusive-taxonomy');
  });

  it('allows tlp:white with tlp:clear, but not with a third TLP tag', () => {
    expect(index.check(['tlp:white', 'tlp:clear'])).toEqual([]);
    expect(index.check(['tlp:white', 'tlp:clear', 'tlp:green'])[0]?.tags).toEqual(['tlp:white', 'tlp:clear', 'tlp:green']);
  });

  it('flags two values of an exclusive predicate', () => {
    expect(index.check(['admiralty-scale:source-reliability="a"', 'admiralty-scale:source-reliability="b"'])).toEqual([
      {
        kind: 'exclusive-predicate',
        namespace: 'admiralty-scale',
        predicate: 'source-reliability',
        tags: ['admiralty-scale:source-reliability="a"', 'admiralty-scale:source-reliability="b"'],
        message: 'Predicate `source-reliability` is exclusive',
      },
    ]);
    expect(index.check(['workflow:state="draft"', 'workflow:state="complete"'])).toHaveLength(1);
  });

  it('allows values of different exclusive predicates, and several values of a non-exclusive one', () => {
    expect(index.check(['admiralty-scale:source-reliability="a"', 'admiralty-scale:information-credibility="1"'])).toEqual([]);
    expect(index.check(['workflow:todo="review"', 'workflow:todo="add-tagging"'])).toEqual([]);
  });

  it('ignores a single tag, plain tags, unknown taxonomies, and repeats nothing for unrelated tags', () => {
    expect(index.check(['tlp:red'])).toEqual([]);
    expect(index.check(['malware', 'ransomware'])).toEqual([]);
    expect(index.check(['custom:a', 'custom:b'])).toEqual([]);
    expect(index.check([])).toEqual([]);
  });

  it('groups names exactly as written, as MISP does (case-sensitive)', () => {
    expect(index.check(['tlp:red', 'TLP:AMBER'])).toEqual([]);
  });

  it('checks an exclusive taxonomy with triple tags per predicate (MISP groups by namespace:predicate)', () => {
    const demo = taxonomy({ namespace: 'ex', exclusive: true, predicates: [{ value: 'p' }, { value: 'q' }], values: [{ predicate: 'p', entry: [{ value: '1' }, { value: '2' }] }, { predicate: 'q', entry: [{ value: '3' }] }] });
    const own = createTaxonomyIndex([demo]);
    expect(own.check(['ex:p="1"', 'ex:p="2"'])[0]?.kind).toBe('exclusive-taxonomy');
    expect(own.check(['ex:p="1"', 'ex:q="3"'])).toEqual([]);
  });

  it('keeps the highest version when a namespace is given twice', () => {
    const v1 = taxonomy({ namespace: 'dup', version: 1, predicates: [{ value: 'old' }] });
    const v2 = taxonomy({ namespace: 'dup', version: 2, predicates: [{ value: 'new' }] });
    const own = createTaxonomyIndex([v2, v1]);
    expect(own.taxonomy('DUP')?.version).toBe(2);
    expect(own.describe('dup:old')).toBeUndefined();
    expect(own.list()).toHaveLength(1);
  });
});
