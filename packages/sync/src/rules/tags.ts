import { isJsonObject, objectsIn, toBool, toText, type JsonObject } from '../model/misp-json.js';

/**
 * The tags attached to an event, attribute or report. Views put them in
 * `Tag: [{…}]`; index rows and raw MISP arrays in `EventTag`/`AttributeTag:
 * [{local, Tag: {…}}]` where `local` sits on the link.
 */
export function tagLinks(entity: JsonObject): { tag: JsonObject; local: boolean }[] {
  const out = objectsIn(entity.Tag).map((tag) => ({ tag, local: toBool(tag.local) }));
  for (const key of ['EventTag', 'AttributeTag']) {
    for (const link of objectsIn(entity[key])) {
      if (isJsonObject(link.Tag)) out.push({ tag: link.Tag, local: toBool(link.local) || toBool(link.Tag.local) });
    }
  }
  return out;
}

/** Names and ids of an entity's tags, for rule matching. */
export function tagKeys(entity: JsonObject): Set<string> {
  const keys = new Set<string>();
  for (const { tag } of tagLinks(entity)) {
    const name = toText(tag.name);
    const id = toText(tag.id);
    if (name !== undefined) keys.add(name);
    if (id !== undefined) keys.add(id);
  }
  return keys;
}

/** True when the entity says where its tags are (so tag rules can be judged). */
export function carriesTags(entity: JsonObject): boolean {
  return 'Tag' in entity || 'EventTag' in entity || 'AttributeTag' in entity;
}

/**
 * Drops tags that must not leave this instance: local tags and tags marked
 * non-exportable (MISP `Event::__removeNonExportableTags`). Link arrays are
 * flattened into `Tag`, as MISP does before it sends an event.
 */
export function stripUnshareableTags(entity: JsonObject): void {
  const kept = tagLinks(entity)
    .filter(({ tag, local }) => !local && tag.exportable !== false && tag.exportable !== 0 && tag.exportable !== '0')
    .map(({ tag }) => tag);
  delete entity.EventTag;
  delete entity.AttributeTag;
  if (kept.length > 0 || 'Tag' in entity) entity.Tag = kept;
}

/** Drops local tags only (MISP `Server::__updatePulledEventBeforeInsert`). */
export function stripLocalTags(entity: JsonObject): void {
  if (Array.isArray(entity.Tag)) entity.Tag = objectsIn(entity.Tag).filter((tag) => !toBool(tag.local));
  for (const key of ['EventTag', 'AttributeTag']) {
    if (Array.isArray(entity[key])) entity[key] = objectsIn(entity[key]).filter((link) => !toBool(link.local));
  }
}
