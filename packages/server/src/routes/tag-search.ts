import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InputError } from '@waggle/errors';
import { parseMachineTag } from '@waggle/intel';
import type { MispJson } from '@waggle/core';
import { bodyOf, isTruthy, type RouteContext } from '../http/context.js';
import type { GalaxyCatalogue, TaxonomyCatalogue } from '../intel/index.js';
import { clusterJson, taxonomyJson } from './intel/intel-json.js';

/** What a tag search asks for: names or `%`/`_` patterns, and whether only exact names (or ids) count. */
export interface TagSearch {
  readonly terms: readonly string[];
  readonly strict: boolean;
}

/** SQL LIKE as a whole-string regular expression: `%` any run, `_` one character, `\` escapes. */
export function likePattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) out += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

/** The search terms of a body or path: `tag`, PyMISP's `tagname`, or `name`; one string or a list (an optional `Tag` wrapper). */
function searchOf(request: FastifyRequest): TagSearch {
  const body = bodyOf(request);
  const inner = typeof body.Tag === 'object' && body.Tag !== null && !Array.isArray(body.Tag) ? (body.Tag as Record<string, unknown>) : body;
  const params = request.params as { tag?: string; strict?: string };
  const raw = inner.tag ?? inner.tagname ?? inner.name ?? params.tag;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const terms: string[] = [];
  for (const t of list) {
    if (typeof t === 'number' && Number.isSafeInteger(t)) terms.push(String(t));
    else if (typeof t === 'string' && t.trim() !== '') terms.push(t.trim());
    else throw new InputError('Tag.tagname: each search term must be a non-empty string', { field: 'tagname' });
  }
  if (terms.length === 0) throw new InputError('Tag.tagname is required: a tag name, or a pattern with % (any run) and _ (one character)', { field: 'tagname' });
  const strictRaw = inner.strict_tagname ?? inner.strictTagNameOnly ?? params.strict;
  return { terms, strict: isTruthy(strictRaw) };
}

/** MISP's Taxonomy::getTaxonomyForTag: the taxonomy of the tag's namespace with the tag's predicate (and its entry, for a triple tag). */
function taxonomyOf(taxonomies: TaxonomyCatalogue, name: string): { Taxonomy: MispJson; TaxonomyPredicate: MispJson } | undefined {
  const parts = parseMachineTag(name);
  if (parts === undefined) return undefined;
  const item = taxonomies.find(parts.namespace);
  const predicate = item?.value.predicates.find((p) => p.value.toLowerCase() === parts.predicate.toLowerCase());
  if (item === undefined || predicate === undefined) return undefined;
  const entries = parts.value === undefined ? [] : predicate.entries.filter((e) => e.value.toLowerCase() === (parts.value as string).toLowerCase());
  // A triple tag whose value the predicate does not list is no tag of the taxonomy.
  if (parts.value !== undefined && entries.length === 0) return undefined;
  const fields = (o: { value: string; expanded?: string; description?: string; colour?: string; numerical_value?: number }): MispJson => ({
    value: o.value,
    expanded: o.expanded ?? o.value,
    colour: o.colour ?? '',
    description: o.description ?? '',
    ...(o.numerical_value === undefined ? {} : { numerical_value: String(o.numerical_value) }),
  });
  return {
    Taxonomy: taxonomyJson(item),
    TaxonomyPredicate: { ...fields(predicate), exclusive: predicate.exclusive, TaxonomyEntry: entries.map(fields) },
  };
}

/** Tag names of clusters whose value is the term, or with a synonym matching it (MISP's non-strict search). */
function clusterTagNames(galaxies: GalaxyCatalogue, terms: readonly string[]): string[] {
  const patterns = terms.map(likePattern);
  const names: string[] = [];
  for (const g of galaxies.galaxies) {
    for (const c of galaxies.clustersOf(g)) {
      const value = c.cluster.value.toLowerCase();
      const synonyms = (c.cluster.meta.synonyms ?? []).map((v) => v.toLowerCase());
      if (terms.includes(value) || synonyms.some((syn) => patterns.some((p) => p.test(syn)))) names.push(c.cluster.tag_name.toLowerCase());
    }
  }
  return names;
}

/**
 * MISP's `tags/search` (PyMISP `search_tags(tagname, strict_tagname)`): without strict, tags whose
 * name matches a term as a case-insensitive LIKE pattern, plus the tags of galaxy clusters whose
 * value is a term or whose synonym matches one; with strict, tags of exactly that name, or that id.
 * Each hit has its `Taxonomy` and `TaxonomyPredicate` and its `GalaxyCluster` when it has them.
 */
export function registerTagSearchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { tags, intel } = ctx.services;
  for (const url of ['/tags/search', '/tags/search/:tag', '/tags/search/:tag/:strict']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      handler: async (request) => {
        await ctx.principal(request);
        const search = searchOf(request);
        const [all, taxonomies, galaxies] = await Promise.all([tags.list(), intel.taxonomies(), intel.galaxies()]);
        let match: (t: MispJson) => boolean;
        if (search.strict) {
          match = (t) => search.terms.some((term) => (/^[0-9]+$/.test(term) ? t.id === String(Number(term)) : t.name === term));
        } else {
          const terms = search.terms.map((t) => t.toLowerCase());
          const patterns = [...terms, ...clusterTagNames(galaxies, terms)].map(likePattern);
          match = (t) => patterns.some((p) => p.test(String(t.name).toLowerCase()));
        }
        return all
          .filter(match)
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((t) => {
            const name = String(t.name);
            const taxonomy = taxonomyOf(taxonomies, name);
            const cluster = name.startsWith('misp-galaxy:') ? galaxies.clusterForTag(name) : undefined;
            return { Tag: t, ...(taxonomy ?? {}), ...(cluster === undefined ? {} : { GalaxyCluster: clusterJson(galaxies, cluster) }) };
          });
      },
    });
  }
}
