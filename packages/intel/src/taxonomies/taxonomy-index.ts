import { parseMachineTag } from './parse-machine-tag.js';
import { taxonomyPalette } from './tag-colour.js';
import type { Taxonomy, TaxonomyEntry, TaxonomyPredicate } from './taxonomy.js';

/** One tag a taxonomy defines, in the shape MISP lists a taxonomy's entries. */
export interface TaxonomyTag {
  /** The tag name: `ns:predicate="value"`, or `ns:predicate` for a predicate without values. */
  readonly name: string;
  /** `Predicate expanded: Entry expanded`, falling back to the raw values, as MISP builds it. */
  readonly expanded: string;
  /** The colour set in the taxonomy, else the one MISP's palette gives the tag. */
  readonly colour: string;
  readonly numerical_value?: number;
  readonly description?: string;
  readonly exclusive_predicate: boolean;
}

/** What a tag means in its taxonomy. */
export interface TagDescription extends TaxonomyTag {
  readonly taxonomy: Taxonomy;
  readonly predicate: TaxonomyPredicate;
  /** Undefined for a predicate-only tag. */
  readonly entry?: TaxonomyEntry;
}

/** A set of tags that MISP's exclusivity rules do not allow together. */
export interface TaxonomyViolation {
  readonly kind: 'exclusive-taxonomy' | 'exclusive-predicate';
  readonly namespace: string;
  /** The exclusive predicate, for `exclusive-predicate`. */
  readonly predicate?: string;
  /** The conflicting tags, in the order given. */
  readonly tags: readonly string[];
  /** MISP's wording: "Taxonomy `tlp` is an exclusive Taxonomy" / "Predicate `x` is exclusive". */
  readonly message: string;
}

/** Lookups over a set of taxonomies; build once, query many times. */
export interface TaxonomyIndex {
  /** Taxonomies by namespace (case-insensitive); the highest version wins on duplicates. */
  taxonomy(namespace: string): Taxonomy | undefined;
  list(): readonly Taxonomy[];
  /** What a tag means, or undefined when no loaded taxonomy defines it (case-insensitive, like MISP). */
  describe(tagName: string): TagDescription | undefined;
  /** Exclusivity violations among tags set on one element (check global and local tags separately, as MISP does). */
  check(tagNames: readonly string[]): TaxonomyViolation[];
  /** Every tag a taxonomy defines (what enabling it creates), or undefined for an unknown namespace. */
  allTags(namespace: string): readonly TaxonomyTag[] | undefined;
}

interface Indexed {
  readonly taxonomy: Taxonomy;
  readonly tags: readonly TagDescription[];
}

/** Builds the lookups over `taxonomies` (tags precomputed: describe is one map lookup). */
export function createTaxonomyIndex(taxonomies: readonly Taxonomy[]): TaxonomyIndex {
  const byNamespace = new Map<string, Indexed>();
  for (const taxonomy of taxonomies) {
    const key = taxonomy.namespace.toLowerCase();
    const existing = byNamespace.get(key);
    if (existing === undefined || taxonomy.version > existing.taxonomy.version) byNamespace.set(key, { taxonomy, tags: buildTags(taxonomy) });
  }
  const byTag = new Map<string, TagDescription>();
  for (const { tags } of byNamespace.values()) for (const tag of tags) if (!byTag.has(tag.name.toLowerCase())) byTag.set(tag.name.toLowerCase(), tag);

  return {
    taxonomy: (namespace) => byNamespace.get(namespace.toLowerCase())?.taxonomy,
    list: () => [...byNamespace.values()].map((entry) => entry.taxonomy),
    describe: (tagName) => byTag.get(tagName.toLowerCase()),
    allTags: (namespace) => byNamespace.get(namespace.toLowerCase())?.tags.map(toTaxonomyTag),
    check: (tagNames) => findConflicts(tagNames, (namespace) => byNamespace.get(namespace.toLowerCase())?.taxonomy),
  };
}

function buildTags(taxonomy: Taxonomy): TagDescription[] {
  const drafts: Omit<TagDescription, 'colour'>[] = [];
  for (const predicate of taxonomy.predicates) {
    const predicateText = predicate.expanded ?? predicate.value;
    if (predicate.entries.length === 0) {
      drafts.push({ taxonomy, predicate, name: `${taxonomy.namespace}:${predicate.value}`, expanded: predicateText, exclusive_predicate: predicate.exclusive, ...details(predicate) });
      continue;
    }
    for (const entry of predicate.entries) {
      const name = `${taxonomy.namespace}:${predicate.value}="${entry.value}"`;
      drafts.push({ taxonomy, predicate, entry, name, expanded: `${predicateText}: ${entry.expanded ?? entry.value}`, exclusive_predicate: predicate.exclusive, ...details(entry) });
    }
  }
  const palette = taxonomyPalette(taxonomy.namespace, drafts.length);
  return drafts.map((draft, index) => ({ ...draft, colour: (draft.entry ?? draft.predicate).colour ?? palette[index] ?? '#000000' }));
}

function details(source: TaxonomyEntry): Pick<TaxonomyTag, 'numerical_value' | 'description'> {
  return {
    ...(source.numerical_value === undefined ? {} : { numerical_value: source.numerical_value }),
    ...(source.description === undefined ? {} : { description: source.description }),
  };
}

function toTaxonomyTag(tag: TagDescription): TaxonomyTag {
  const { name, expanded, colour, numerical_value, description, exclusive_predicate } = tag;
  return {
    name,
    expanded,
    colour,
    exclusive_predicate,
    ...(numerical_value === undefined ? {} : { numerical_value }),
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * MISP's Taxonomy::getTagConflicts: tags are grouped by their name without the
 * last component (`ns:pred` for triple tags, `ns` for double tags; plain tags
 * are ignored), exactly as written (case-sensitive). A group of two or more is
 * a conflict when the taxonomy is exclusive, or else when the predicate of the
 * group's second tag is exclusive. `tlp:white` with `tlp:clear` (and nothing
 * else from tlp) is allowed: they mean the same since TLP 2.0.
 */
function findConflicts(tagNames: readonly string[], taxonomyOf: (namespace: string) => Taxonomy | undefined): TaxonomyViolation[] {
  const groups = new Map<string, { namespace: string; predicate: string; tags: string[] }>();
  for (const name of tagNames) {
    const tag = parseMachineTag(name);
    if (tag === undefined) continue;
    const key = tag.value === undefined ? tag.namespace : `${tag.namespace}:${tag.predicate}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { namespace: tag.namespace, predicate: '', tags: [name] });
    else {
      // MISP resolves the taxonomy (and predicate) from the first duplicate.
      if (group.tags.length === 1) group.predicate = tag.predicate;
      group.tags.push(name);
    }
  }
  const tlp = groups.get('tlp');
  if (tlp !== undefined && tlp.tags.length === 2 && tlp.tags.includes('tlp:white') && tlp.tags.includes('tlp:clear')) groups.delete('tlp');

  const violations: TaxonomyViolation[] = [];
  for (const group of groups.values()) {
    if (group.tags.length < 2) continue;
    const taxonomy = taxonomyOf(group.namespace);
    if (taxonomy === undefined) continue;
    if (taxonomy.exclusive) {
      violations.push({ kind: 'exclusive-taxonomy', namespace: taxonomy.namespace, tags: group.tags, message: `Taxonomy \`${taxonomy.namespace}\` is an exclusive Taxonomy` });
      continue;
    }
    const wanted = group.predicate.toLowerCase();
    const predicate = taxonomy.predicates.find((p) => p.value.toLowerCase() === wanted);
    if (predicate?.exclusive === true) {
      violations.push({
        kind: 'exclusive-predicate',
        namespace: taxonomy.namespace,
        predicate: predicate.value,
        tags: group.tags,
        message: `Predicate \`${predicate.value}\` is exclusive`,
      });
    }
  }
  return violations;
}
