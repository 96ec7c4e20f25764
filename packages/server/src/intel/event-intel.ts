import { attributeValue, type AttributeRecord, type MispJson } from '@waggle/core';
import type { WarninglistHit, WarninglistMatcher } from '@waggle/intel';
import type { GalaxyCatalogue } from './galaxy-catalogue.js';

type Json = Record<string, unknown>;

const asList = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** The `Galaxy` array for an element's `Tag` list: each `misp-galaxy:` tag's cluster, with the tag's id and locality. */
export function galaxiesForTags(galaxies: GalaxyCatalogue, tags: unknown): MispJson[] {
  const inputs = [];
  for (const tag of asList(tags)) {
    const name = tag.name;
    if (typeof name !== 'string' || !name.startsWith('misp-galaxy:')) continue;
    const item = galaxies.clusterForTag(name);
    if (item === undefined) continue;
    inputs.push({ cluster: item.cluster, extra: { tag_id: String(tag.id ?? ''), local: tag.local === 1 || tag.local === true, relationship_type: false, GalaxyClusterRelation: [] } });
  }
  return inputs.length === 0 ? [] : (galaxies.galaxyJson(inputs) as unknown as MispJson[]);
}

/** Every attribute of an event view: loose ones and those inside objects. */
function eventAttributes(event: Json): Json[] {
  return [...asList(event.Attribute), ...asList(event.Object).flatMap((o) => asList(o.Attribute))];
}

/**
 * Fills MISP's `Galaxy` arrays of an event view from its `misp-galaxy:` tags
 * (the tags stay in `Tag`, as on MISP): the event's, and each attribute's
 * when it has clusters.
 */
export function addEventGalaxies(event: Json, galaxies: GalaxyCatalogue): void {
  event.Galaxy = galaxiesForTags(galaxies, event.Tag);
  for (const a of eventAttributes(event)) {
    const g = galaxiesForTags(galaxies, a.Tag);
    if (g.length > 0) a.Galaxy = g;
  }
}

/** A hit in MISP's `warnings` shape. */
export function warningJson(hit: WarninglistHit): MispJson {
  return { value: hit.value, match: hit.matched, warninglist_id: hit.id ?? '', warninglist_name: hit.list, warninglist_category: hit.category };
}

const isIds = (v: unknown): boolean => v === true || v === 1 || v === '1';

function hitsOf(matcher: WarninglistMatcher, a: Json): WarninglistHit[] {
  const [hits] = matcher.matchMany([{ type: String(a.type ?? ''), value: String(a.value ?? ''), to_ids: isIds(a.to_ids) }]);
  return hits ?? [];
}

/** What to do with warninglist hits of a search or view. */
export interface WarninglistOptions {
  /** `enforceWarninglist`: leave out attributes on a list. */
  readonly enforce: boolean;
  /** `includeWarninglistHits`: add `warnings` to attributes on a list. */
  readonly includeHits: boolean;
}

/** Applies warninglist options to attribute JSON in place; returns those to keep. */
export function applyToAttributes(attributes: Json[], matcher: WarninglistMatcher, o: WarninglistOptions): Json[] {
  if (!o.enforce && !o.includeHits) return attributes;
  const kept: Json[] = [];
  for (const a of attributes) {
    const hits = hitsOf(matcher, a);
    if (hits.length > 0) {
      if (o.enforce) continue;
      a.warnings = hits.map(warningJson);
    }
    kept.push(a);
  }
  return kept;
}

/** Applies warninglist options to an event view (loose and object attributes) in place. */
export function applyToEvent(event: Json, matcher: WarninglistMatcher, o: WarninglistOptions): void {
  if (!o.enforce && !o.includeHits) return;
  if (Array.isArray(event.Attribute)) event.Attribute = applyToAttributes(event.Attribute as Json[], matcher, o);
  for (const obj of asList(event.Object)) if (Array.isArray(obj.Attribute)) obj.Attribute = applyToAttributes(obj.Attribute as Json[], matcher, o);
}

/** `enforceWarninglist` for raw records (CSV and text exports). */
export function dropListedRecords(batch: AttributeRecord[], matcher: WarninglistMatcher): AttributeRecord[] {
  const hits = matcher.matchMany(batch.map((a) => ({ type: a.type, value: attributeValue(a), to_ids: a.to_ids })));
  return batch.filter((_, i) => (hits[i] ?? []).length === 0);
}

/** events/view: the `Galaxy` arrays, and `warnings` when asked (`includeWarninglistHits`), from the cached catalogues. */
export async function decorateEventView(intel: { galaxies(): Promise<GalaxyCatalogue>; warninglists(): Promise<{ matcher: WarninglistMatcher }> }, event: Json, includeWarninglistHits: boolean): Promise<void> {
  addEventGalaxies(event, await intel.galaxies());
  if (includeWarninglistHits) applyToEvent(event, (await intel.warninglists()).matcher, { enforce: false, includeHits: true });
}
