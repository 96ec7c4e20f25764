import type { MispJson } from './misp-json.js';

/** What events/restSearch keeps inside each event it returns (MISP's `fetchEvent` conditions on attributes and objects). */
export interface SearchContentFilter {
  /** Refused tags (`tags: {"NOT": […]}`, `!tag`): MISP's `blockedAttributeTags`. */
  readonly blockedTags: readonly string[];
  /** `to_ids: 1`: only the attributes marked for IDS (MISP's `Attribute.to_ids` condition). */
  readonly toIdsOnly: boolean;
  /** `deleted: 1`: only the soft-deleted attributes and objects (MISP's `deleted` condition without 0). */
  readonly deletedOnly: boolean;
}

/** Whether a tag name matches a filter entry: case-insensitive, `%` as MISP's wildcard. */
function tagMatches(name: string, wanted: string): boolean {
  if (!wanted.includes('%')) return name.toLowerCase() === wanted.toLowerCase();
  const pattern = wanted.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`, 'is').test(name);
}

function carriesBlockedTag(attribute: MispJson, blocked: readonly string[]): boolean {
  const tags = attribute.Tag;
  if (!Array.isArray(tags)) return false;
  return tags.some((t) => {
    const name = (t as MispJson).name;
    return typeof name === 'string' && blocked.some((b) => tagMatches(name, b));
  });
}

function keepAttribute(attribute: MispJson, f: SearchContentFilter): boolean {
  if (f.blockedTags.length > 0 && carriesBlockedTag(attribute, f.blockedTags)) return false;
  if (f.toIdsOnly && attribute.to_ids !== true) return false;
  if (f.deletedOnly && attribute.deleted !== true) return false;
  return true;
}

/**
 * The attribute conditions MISP's events/restSearch puts on the content of each event: `Event::restSearch`
 * hands refused tags to fetchEvent as `blockedAttributeTags` (`__filterBlockedAttributesByTags` leaves out the
 * attributes carrying one), and `to_ids` and `deleted` become conditions on `Attribute` (and `deleted` on
 * `Object`). They apply to object attributes too; the event itself stays.
 */
export function searchEventContent(event: MispJson, f: SearchContentFilter): MispJson {
  if (f.blockedTags.length === 0 && !f.toIdsOnly && !f.deletedOnly) return event;
  const inner = (event.Event ?? event) as MispJson;
  const keep = (list: unknown[]): unknown[] => list.filter((a) => keepAttribute(a as MispJson, f));
  const filtered: MispJson = { ...inner };
  if (Array.isArray(inner.Attribute)) filtered.Attribute = keep(inner.Attribute);
  if (Array.isArray(inner.Object)) {
    filtered.Object = inner.Object
      .filter((o) => !f.deletedOnly || (o as MispJson).deleted === true)
      .map((o) => (Array.isArray((o as MispJson).Attribute) ? { ...(o as MispJson), Attribute: keep((o as MispJson).Attribute as unknown[]) } : o));
  }
  return event.Event === undefined ? filtered : { ...event, Event: filtered };
}
