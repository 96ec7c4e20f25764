import { cloneJson, isJsonObject, objectsIn, toBool, toInt, type JsonObject, type MispEventJson } from '../model/misp-json.js';
import type { SyncServer } from '../model/sync-server.js';
import { Distribution } from './distribution.js';
import { hasBlockedTag, isBlockedAttributeType, isBlockedObjectType } from './push-rules.js';
import { isServerInSharingGroup, type SharingGroupMembership } from './sharing-group-membership.js';
import { pushGateRefusal } from './push-gate.js';
import { stripUnshareableTags } from './tags.js';
import { unwrapEvent } from './unwrap-event.js';

/** Extra knowledge for {@link prepareEventForPush}. */
export interface PushContext {
  /** Answers sharing-group membership instead of the embedded `SharingGroup` blocks. */
  readonly sharingGroupMembership?: SharingGroupMembership;
  /** This instance's public base URL, announced for `SharingGroupServer` rows with `server_id` 0 (MISP `MISP.external_baseurl`). */
  readonly localBaseUrl?: string;
}

/** Either the document to send, or why the event stays here. */
export type PushVerdict = { readonly event: MispEventJson } | { readonly skip: string };

// Read-only parts of a view that MISP leaves out of what it pushes (or fetches with excludeGalaxy).
const EVENT_DROP = ['Org', 'org_id', 'orgc_id', 'proposal_email_lock', 'Galaxy', 'RelatedEvent', 'ShadowAttribute', 'attribute_count', 'id', 'user_id', 'event_creator_email'];
const ELEMENT_DROP = ['id', 'event_id', 'object_id', 'value1', 'value2', 'Galaxy', 'ShadowAttribute', 'RelatedAttribute'];

interface Walk {
  readonly server: SyncServer;
  readonly ctx: PushContext;
}

function inSharingGroup(element: JsonObject, w: Walk): boolean {
  const sg = element.SharingGroup;
  if (!isJsonObject(sg)) return false; // unknown membership never leaks data
  return w.ctx.sharingGroupMembership?.(sg, w.server, 'element') ?? isServerInSharingGroup(sg, w.server);
}

function announceLocalServer(element: JsonObject, w: Walk): void {
  if (w.ctx.localBaseUrl === undefined || !isJsonObject(element.SharingGroup)) return;
  for (const entry of objectsIn(element.SharingGroup.SharingGroupServer)) {
    if (toInt(entry.server_id) === 0) entry.Server = { id: '0', url: w.ctx.localBaseUrl, name: w.ctx.localBaseUrl };
  }
}

/**
 * MISP `__updateAttributeForSync`/`__updateObjectForSync`/`__updateEventReportForSync`
 * for a non-internal server: 0 and 1 stay here, 2 leaves as 1, 3 and 5 (inherit)
 * unchanged, 4 only when the server belongs to the sharing group.
 * Returns false when the element must be removed.
 */
function filterDistribution(element: JsonObject, w: Walk): boolean {
  const d = toInt(element.distribution);
  if (d === undefined || d < Distribution.CONNECTED || d > Distribution.INHERIT) return false;
  if (d === Distribution.CONNECTED) element.distribution = String(Distribution.THIS_COMMUNITY);
  if (d === Distribution.SHARING_GROUP) {
    if (!inSharingGroup(element, w)) return false;
    announceLocalServer(element, w);
  }
  return true;
}

function prepareAttributes(list: unknown, w: Walk): JsonObject[] {
  const out: JsonObject[] = [];
  for (const attribute of objectsIn(list)) {
    if (isBlockedAttributeType(attribute, w.server.pushRules) || hasBlockedTag(attribute, w.server.pushRules)) continue;
    if (!filterDistribution(attribute, w)) continue;
    for (const key of ELEMENT_DROP) delete attribute[key];
    stripUnshareableTags(attribute);
    // Sightings ride along inside attributes only when the server wants them (MISP `noSightings`).
    if (!w.server.pushSightings) delete attribute.Sighting;
    out.push(attribute);
  }
  return out;
}

function prepareObjects(list: unknown, w: Walk): JsonObject[] {
  const out: JsonObject[] = [];
  for (const object of objectsIn(list)) {
    if (isBlockedObjectType(object, w.server.pushRules)) continue;
    if (!filterDistribution(object, w)) continue;
    for (const key of ELEMENT_DROP) delete object[key];
    object.Attribute = prepareAttributes(object.Attribute, w);
    out.push(object);
  }
  return out;
}

/** MISP only pushes events with `attribute_count > 0` or a live event report. */
function hasLiveContent(event: JsonObject): boolean {
  const live = (x: JsonObject): boolean => !toBool(x.deleted);
  if (objectsIn(event.Attribute).some(live)) return true;
  if (objectsIn(event.Object).some((o) => objectsIn(o.Attribute).some(live))) return true;
  return objectsIn(event.EventReport).some(live);
}

/**
 * Decides whether a local event may go to `server` and strips it to what the
 * server may see, applying MISP's push-side rules in MISP's order
 * (`Server::push`, `Event::__prepareForPushToServer`, `__updateEventForSync`):
 * published only; event distribution 0/1 never leaves; 4 only for a member
 * server; push rules on tags and creator org; then each attribute, object
 * and event report is filtered by its own distribution, type rules and
 * `tags.NOT`; local and non-exportable tags are removed; 2 is downgraded to
 * 1 on the way out. The input is not modified. Accepts a bare or an
 * `{"Event": …}`-wrapped event.
 */
export function prepareEventForPush(eventJson: unknown, server: SyncServer, ctx: PushContext = {}): PushVerdict {
  const source = unwrapEvent(eventJson);
  if (source === undefined) return { skip: 'Not a MISP event (no uuid).' };
  const event = cloneJson(source);
  const refusal = pushGateRefusal(event, server, ctx);
  if (refusal !== undefined) return { skip: refusal };
  const w: Walk = { server, ctx };
  if (toInt(event.distribution) === Distribution.SHARING_GROUP) announceLocalServer(event, w);
  if (!hasLiveContent(event)) return { skip: 'The event has no attributes or event reports.' };

  for (const key of EVENT_DROP) delete event[key];
  stripUnshareableTags(event);
  if ('Attribute' in event) event.Attribute = prepareAttributes(event.Attribute, w);
  if ('Object' in event) event.Object = prepareObjects(event.Object, w);
  if ('EventReport' in event) {
    event.EventReport = objectsIn(event.EventReport).filter((report) => {
      if (!filterDistribution(report, w)) return false;
      for (const key of ELEMENT_DROP) delete report[key];
      return true;
    });
  }
  if (toInt(event.distribution) === Distribution.CONNECTED) event.distribution = String(Distribution.THIS_COMMUNITY);
  // Server::push marks what it sends as locked: the receiver must not let local users edit it.
  event.locked = true;
  return { event };
}
