import { NotFoundError } from '@waggle/errors';
import type { AttributeService, EventService, MispJson, ObjectService, Principal, SearchFilters } from '@waggle/core';
import { producedHere, type OutboundPrivacy } from './outbound-privacy.js';

/**
 * The event service as API readers see it when an anonymisation policy is
 * configured: views, searches (JSON, STIX, TAXII) and index rows of events
 * produced here are shaped by the reader's recipient section before they
 * leave. A withheld event answers as absent (view) or is skipped (search,
 * index), never sent in clear.
 */
export function withOutboundPrivacy(events: EventService, privacy: OutboundPrivacy): EventService {
  if (!privacy.enabled) return events;

  const shape = (p: Principal, event: MispJson): MispJson | undefined => {
    const recipient = privacy.recipientOf(p, event);
    return recipient === undefined ? event : privacy.forRecipient(event, recipient);
  };

  const index: EventService['index'] = async (p, filters) => {
    const rows = await events.index(p, filters);
    const out: MispJson[] = [];
    for (const row of rows) {
      // Index rows carry the title: it gets the same treatment as in a view.
      const shaped = shape(p, { ...row, Attribute: [], Object: [] });
      if (shaped !== undefined) out.push(shaped === row ? row : { ...row, info: shaped.info });
    }
    return out;
  };

  return {
    ...events,
    async view(p, ref, opts) {
      const shaped = shape(p, await events.view(p, ref, opts));
      if (shaped === undefined) throw new NotFoundError('Invalid event', { field: 'id' });
      return shaped;
    },
    async *search(p, filters, opts) {
      for await (const event of events.search(p, filters, opts)) {
        const shaped = shape(p, event);
        if (shaped !== undefined) yield shaped;
      }
    },
    index,
    // A recipient's total counts only what its index shows: withheld events are not revealed by number.
    async indexTotal(p, filters) {
      if (privacy.recipientOf(p, {}) === undefined) return events.indexTotal(p, filters);
      const { limit: _limit, page: _page, ...all } = filters;
      return (await index(p, all)).length;
    },
  };
}

/** Ids of the organisations local to this instance (their events are "produced here"). */
export type LocalOrganisationIds = () => Promise<readonly number[]>;

function withoutLocal(filters: SearchFilters, local: readonly number[]): SearchFilters {
  const org = filters.org ?? { include: [], exclude: [] };
  return { ...filters, org: { include: org.include, exclude: [...org.exclude, ...local.map(String)] } };
}

/**
 * Attribute- and object-level reads carry single values without the event
 * context a policy decides on. While a policy is on, readers who are
 * recipients get none of those produced here (fail closed): searches leave
 * out events of local organisations, single views answer as absent. They
 * get the anonymised values through the event-level paths (views, restSearch
 * on events, STIX, TAXII, sync).
 */
export function withAttributePrivacy(
  services: { attributes: AttributeService; objects: ObjectService; rawEvents: EventService },
  privacy: OutboundPrivacy,
  localOrgIds: LocalOrganisationIds,
): { attributes: AttributeService; objects: ObjectService } {
  const { attributes, objects, rawEvents } = services;
  if (!privacy.enabled) return { attributes, objects };
  const isRecipient = (p: Principal): boolean => privacy.recipientOf(p, {}) !== undefined;
  const guardView = async (p: Principal, json: MispJson): Promise<MispJson> => {
    if (!isRecipient(p)) return json;
    const head = await rawEvents.view(p, String(json.event_id), { metadata: true, includeCorrelations: false });
    // Produced here (or unknown): withheld from a recipient at this level.
    if (producedHere(head)) throw new NotFoundError('Invalid attribute', { field: 'id' });
    return json;
  };
  return {
    attributes: {
      ...attributes,
      async view(p, ref) {
        return guardView(p, await attributes.view(p, ref));
      },
      async *search(p, filters, opts) {
        yield* attributes.search(p, isRecipient(p) ? withoutLocal(filters, await localOrgIds()) : filters, opts);
      },
      async *searchRecords(p, filters, batchSize) {
        yield* attributes.searchRecords(p, isRecipient(p) ? withoutLocal(filters, await localOrgIds()) : filters, batchSize);
      },
      async count(p, filters) {
        return attributes.count(p, isRecipient(p) ? withoutLocal(filters, await localOrgIds()) : filters);
      },
    },
    objects: {
      ...objects,
      async view(p, ref) {
        return guardView(p, await objects.view(p, ref));
      },
      async search(p, filters) {
        return objects.search(p, isRecipient(p) ? withoutLocal(filters, await localOrgIds()) : filters);
      },
    },
  };
}
