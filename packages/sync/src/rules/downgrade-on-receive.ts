import { cloneJson, objectsIn, toBool, toInt, type JsonObject, type MispEventJson } from '../model/misp-json.js';
import type { SyncRules } from '../model/sync-rules.js';
import { Distribution } from './distribution.js';
import { isBlockedAttributeType, isBlockedObjectType } from './push-rules.js';
import { stripLocalTags } from './tags.js';
import { unwrapEvent } from './unwrap-event.js';

type Mapping = (d: number) => number;

function remap(element: JsonObject, map: Mapping): void {
  const d = toInt(element.distribution);
  if (d === undefined) return;
  const next = map(d);
  if (next !== d) element.distribution = String(next);
}

function walk(event: JsonObject, map: Mapping): void {
  remap(event, map);
  stripLocalTags(event);
  for (const attribute of objectsIn(event.Attribute)) {
    remap(attribute, map);
    stripLocalTags(attribute);
  }
  for (const object of objectsIn(event.Object)) {
    remap(object, map);
    for (const attribute of objectsIn(object.Attribute)) {
      remap(attribute, map);
      stripLocalTags(attribute);
    }
  }
  for (const report of objectsIn(event.EventReport)) remap(report, map);
}

/** Pull: "this community" becomes "your organisation", "connected" becomes "this community". */
const pullMap: Mapping = (d) => (d === Distribution.THIS_COMMUNITY ? Distribution.ORG_ONLY : d === Distribution.CONNECTED ? Distribution.THIS_COMMUNITY : d);
/** Push received: the sender already removed 0/1 and turned 2 into 1; only a stray 2 is left to fix. */
const receiveMap: Mapping = (d) => (d === Distribution.CONNECTED ? Distribution.THIS_COMMUNITY : d);

/**
 * For the integrator's `events/add`/`events/edit` handlers when the caller is
 * a sync user (an event *pushed* to this instance): connected-communities
 * (2) data becomes this-community-only (1) at every level and local tags are
 * dropped. A MISP sender has already done both (`Event::__updateEventForSync`),
 * so for MISP peers this changes nothing; it protects against a peer that
 * did not. Returns a new document; accepts a bare or wrapped event and
 * returns the same shape it was given.
 */
export function downgradeOnReceive<T>(eventJson: T): T {
  const copy = cloneJson(eventJson);
  const event = unwrapEvent(copy);
  if (event !== undefined) walk(event, receiveMap);
  return copy;
}

/** Either the event to save, or why it was left out. */
export type PullVerdict = { readonly event: MispEventJson } | { readonly skip: string };

function hasLiveContent(event: JsonObject): boolean {
  const live = (x: JsonObject): boolean => !toBool(x.deleted);
  if (objectsIn(event.Attribute).some(live)) return true;
  if (objectsIn(event.Object).some((o) => !toBool(o.deleted) && objectsIn(o.Attribute).some(live))) return true;
  return objectsIn(event.EventReport).some(live);
}

/**
 * MISP `Server::__updatePulledEventBeforeInsert` for a non-internal server,
 * applied to an event downloaded by a pull: the event is locked; 1 becomes 0
 * and 2 becomes 1 on the event, its attributes, objects, object attributes
 * and event reports; local tags are removed; attributes and objects matching
 * the pull `type_attributes`/`type_objects` NOT rules are dropped (an object
 * left without attributes goes too). An event without any live attribute or
 * report is refused (MISP `__checkIfEventSaveAble`: "Empty event detected.").
 */
export function prepareEventForPull(eventJson: unknown, rules: SyncRules): PullVerdict {
  const source = unwrapEvent(eventJson);
  if (source === undefined) return { skip: 'Not a MISP event (no uuid).' };
  const event = cloneJson(source);
  event.locked = true;
  // MISP version 1 events had no distribution; MISP reads them as "this community".
  if (event.distribution === undefined) event.distribution = String(Distribution.THIS_COMMUNITY);
  walk(event, pullMap);
  let emptiedByRules = false;
  if (Array.isArray(event.Attribute)) {
    const kept = objectsIn(event.Attribute).filter((a) => !isBlockedAttributeType(a, rules));
    emptiedByRules ||= event.Attribute.length > 0 && kept.length === 0;
    event.Attribute = kept;
  }
  if (Array.isArray(event.Object)) {
    event.Object = objectsIn(event.Object).filter((o) => {
      if (isBlockedObjectType(o, rules)) return false;
      if (!Array.isArray(o.Attribute)) return true;
      const kept = objectsIn(o.Attribute).filter((a) => !isBlockedAttributeType(a, rules));
      const emptied = o.Attribute.length > 0 && kept.length === 0;
      o.Attribute = kept;
      emptiedByRules ||= emptied;
      return !emptied;
    });
  }
  if (!hasLiveContent(event)) {
    return { skip: emptiedByRules ? 'The pull rules removed every attribute of the event.' : 'Empty event detected.' };
  }
  return { event };
}
