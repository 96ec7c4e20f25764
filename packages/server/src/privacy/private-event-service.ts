import { NotFoundError } from '@waggle/errors';
import type { EventService, MispJson, Principal } from '@waggle/core';
import type { OutboundPrivacy } from './outbound-privacy.js';

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
    async index(p, filters) {
      const rows = await events.index(p, filters);
      const out: MispJson[] = [];
      for (const row of rows) {
        // Index rows carry the title: it gets the same treatment as in a view.
        const shaped = shape(p, { ...row, Attribute: [], Object: [] });
        if (shaped !== undefined) out.push(shaped === row ? row : { ...row, info: shaped.info });
      }
      return out;
    },
  };
}
