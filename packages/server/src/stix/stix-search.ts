import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { InputError } from '@waggle/errors';
import type { AttributeRecord, MispJson, Principal, SearchFilters } from '@waggle/core';
import { eventToStixObjects, type StixObject } from '@waggle/stix';
import type { Services } from '../http/context.js';
import { sendStream } from '../search/stream.js';
import { eventsToStixBatches, stixBundleChunks } from './stix-bundle-stream.js';

/** What a restSearch with `returnFormat: stix2` reads. */
export type StixSearchServices = Pick<Services, 'events' | 'attributes'>;

/** Keeps only the attributes (top-level and inside objects) whose uuid is in `keep`; objects left empty go. */
export function reduceEventToAttributes(view: MispJson, keep: ReadonlySet<string>): MispJson {
  const attrs = (list: unknown): MispJson[] => (Array.isArray(list) ? (list as MispJson[]).filter((a) => keep.has(String(a.uuid))) : []);
  const objects = (Array.isArray(view.Object) ? (view.Object as MispJson[]) : [])
    .map((o) => ({ ...o, Attribute: attrs(o.Attribute) }))
    .filter((o) => o.Attribute.length > 0);
  // Event-level galaxies describe the event, not the matching attributes.
  return { ...view, Attribute: attrs(view.Attribute), Object: objects, Galaxy: [] };
}

/**
 * The objects of an attribute-level search, batch by batch: for each event the
 * matching attributes belong to, the STIX objects of those attributes (with the
 * creator identity and markings, without the event's report: one event's
 * attributes may come in several batches, and a report must list all of them).
 */
async function* attributeBatches(services: StixSearchServices, p: Principal, filters: SearchFilters): AsyncIterable<StixObject[]> {
  let cached: { id: number; view: MispJson } | undefined;
  for await (const batch of services.attributes.searchRecords(p, filters)) {
    const byEvent = new Map<number, Set<string>>();
    for (const a of batch as AttributeRecord[]) {
      const set = byEvent.get(a.event_id) ?? new Set<string>();
      set.add(a.uuid);
      byEvent.set(a.event_id, set);
    }
    for (const [eventId, uuids] of byEvent) {
      if (cached?.id !== eventId) cached = { id: eventId, view: await services.events.view(p, eventId, { includeCorrelations: false }) };
      const objects = eventToStixObjects(reduceEventToAttributes(cached.view, uuids));
      yield objects.filter((o) => o.type !== 'report' && !(o.type === 'note' && Array.isArray(o.labels) && o.labels.includes('misp:empty-event')));
    }
  }
}

/**
 * restSearch answered as a STIX 2.1 bundle, as text chunks (see stixBundleChunks).
 * Events scope: every matching event as `eventToStixObjects` gives it (report
 * included). Attributes scope: the matching attributes only (attributeBatches).
 */
export function stixSearchChunks(services: StixSearchServices, p: Principal, filters: SearchFilters, scope: 'events' | 'attributes', bundleId: string): AsyncIterable<string> {
  const batches = scope === 'events'
    ? eventsToStixBatches(services.events.search(p, filters, { includeCorrelations: false }))
    : attributeBatches(services, p, filters);
  return stixBundleChunks(bundleId, batches);
}

/**
 * Answers a restSearch with `returnFormat: stix2`: a STIX 2.1 bundle, streamed
 * (`application/stix+json;version=2.1`). Objects searches have no STIX form.
 */
export function sendStixSearch(services: StixSearchServices, p: Principal, filters: SearchFilters, scope: 'events' | 'attributes' | 'objects', reply: FastifyReply, ids: () => string = randomUUID): FastifyReply {
  if (scope === 'objects') throw new InputError('returnFormat "stix2" is supported for events and attributes searches only', { field: 'returnFormat' });
  return sendStream(reply, 'application/stix+json;version=2.1', stixSearchChunks(services, p, filters, scope, `bundle--${ids()}`));
}
