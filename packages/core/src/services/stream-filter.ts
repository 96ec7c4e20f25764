import { canSeeElement, canSeeEvent, type Distributed } from '../access/visibility.js';
import type { Viewer } from '../ports/queries.js';
import type { Store } from '../ports/store.js';
import { isObj, type Json } from './json-fields.js';

type EventHead = Distributed & { readonly org_id: number; readonly orgc_id: number };

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN);
const head = (e: Json): EventHead | undefined => {
  const h = { org_id: num(e.org_id), orgc_id: num(e.orgc_id), distribution: num(e.distribution), sharing_group_id: num(e.sharing_group_id ?? 0) };
  return Number.isFinite(h.org_id) && Number.isFinite(h.distribution) ? h : undefined;
};
const element = (e: Json): Distributed => ({ distribution: num(e.distribution), sharing_group_id: num(e.sharing_group_id ?? 0) });

/** The element a message is about: an attribute, object, sighting or event report (each names its event). */
const innerOf = (payload: Json): Json | undefined =>
  [payload.Attribute, payload.Object, payload.Sighting, payload.EventReport].find(isObj);

/** A full event JSON reduced to what the viewer may see, or undefined when the event is hidden. */
function redactEvent(viewer: Viewer, ev: Json): Json | undefined {
  const h = head(ev);
  if (h === undefined || !canSeeEvent(viewer, h)) return undefined;
  // Proposals (ShadowAttribute) are for the owner organisation and site admins; others get empty lists.
  const proposals = viewer.siteAdmin || viewer.orgId === h.org_id;
  const noProposals = (x: Json): Json => (proposals || !Array.isArray(x.ShadowAttribute) ? x : { ...x, ShadowAttribute: [] });
  const keep = (list: unknown): Json[] => (Array.isArray(list) ? list.filter(isObj).filter((x) => canSeeElement(viewer, element(x), h)).map(noProposals) : []);
  const out: Json = noProposals({ ...ev });
  if (Array.isArray(ev.Attribute)) out.Attribute = keep(ev.Attribute);
  if (Array.isArray(ev.EventReport)) out.EventReport = keep(ev.EventReport);
  if (Array.isArray(ev.Object)) out.Object = keep(ev.Object).map((o) => (Array.isArray(o.Attribute) ? { ...o, Attribute: keep(o.Attribute) } : o));
  return out;
}

/**
 * Decides, per subscriber, what of the event stream it may receive: the
 * payloads are the ones MISP publishes on its ZeroMQ topics, checked with the
 * same rules as the API (events by distribution and sharing group, attributes
 * and objects inside them too). Messages about other things (users,
 * organisations, audit) go to site admins only; a deleted event's notice goes
 * to those who could see it while it existed (remembered from earlier
 * messages) and to site admins.
 */
export function createStreamFilter(deps: { readonly store: Store; readonly cacheMs?: number }) {
  const ttl = deps.cacheMs ?? 2000;
  const heads = new Map<string, { head: EventHead | undefined; at: number }>();

  async function eventHead(id: unknown): Promise<EventHead | undefined> {
    const key = String(id);
    const hit = heads.get(key);
    if (hit !== undefined && Date.now() - hit.at < ttl) return hit.head;
    const e = await deps.store.read((repos) => repos.getEvent(Number.isFinite(num(id)) ? num(id) : key));
    const h = e === undefined ? undefined : { org_id: e.org_id, orgc_id: e.orgc_id, distribution: e.distribution, sharing_group_id: e.sharing_group_id };
    heads.set(key, { head: h, at: Date.now() });
    if (heads.size > 10_000) heads.delete(heads.keys().next().value as string);
    return h;
  }
  function remember(ev: Json): void {
    const h = head(ev);
    if (h === undefined) return;
    for (const k of [ev.id, ev.uuid]) if (k !== undefined) heads.set(String(k), { head: h, at: Date.now() });
  }

  return {
    /** The event a message is about (its owner, distribution and sharing group), when it can be told. */
    async eventOf(payload: unknown): Promise<EventHead | undefined> {
      if (!isObj(payload)) return undefined;
      if (isObj(payload.Event)) return head(payload.Event) ?? heads.get(String(payload.Event.id))?.head;
      const inner = innerOf(payload);
      const eventId = inner?.event_id ?? payload.event_id;
      return eventId === undefined ? undefined : eventHead(eventId);
    },
    /** The payload the viewer may receive for this message, or undefined to skip it. */
    async visible(viewer: Viewer, topic: string, payload: unknown): Promise<unknown> {
      if (!isObj(payload)) return viewer.siteAdmin ? payload : undefined;
      if (isObj(payload.Event) && (topic === 'misp_json' || topic === 'misp_json_event')) {
        const ev = payload.Event;
        if (payload.action === 'delete' || head(ev) === undefined) {
          if (viewer.siteAdmin) return payload;
          const known = heads.get(String(ev.id)) ?? heads.get(String(ev.uuid));
          return known?.head !== undefined && canSeeEvent(viewer, known.head) ? payload : undefined;
        }
        remember(ev);
        const redacted = redactEvent(viewer, ev);
        return redacted === undefined ? undefined : { ...payload, Event: redacted };
      }
      const inner = innerOf(payload);
      const eventId = inner?.event_id ?? payload.event_id;
      if (eventId === undefined) return viewer.siteAdmin ? payload : undefined;
      const h = await eventHead(eventId);
      if (h === undefined || !canSeeEvent(viewer, h)) return viewer.siteAdmin ? payload : undefined;
      if (inner !== undefined && inner.distribution !== undefined && !canSeeElement(viewer, element(inner), h)) return undefined;
      return payload;
    },
  };
}

/** The per-subscriber filter of the event stream. */
export type StreamFilter = ReturnType<typeof createStreamFilter>;
