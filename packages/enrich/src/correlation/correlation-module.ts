import { InputError } from '@waggle/errors';
import { ENRICHMENT_MARK, NOTHING, type EnrichmentModule } from '../module.js';
import type { ServerAttribute } from './event-api.js';

/** Deps of the correlation module: a value search on a waggle/MISP server. */
export interface CorrelationDeps {
  searchValue(value: string): Promise<ServerAttribute[]>;
}

const INPUT_TYPES = ['ip-src', 'ip-dst', 'domain', 'hostname', 'url', 'email', 'email-src', 'email-dst', 'md5', 'sha1', 'sha256', 'vulnerability', 'AS', 'filename', 'user-agent', 'threat-actor'];

/**
 * `correlation`: which events on the server already hold this value
 * (`attributes/restSearch` by value). Each event becomes one `text` note
 * naming it; attributes waggle-enrich wrote itself are not counted.
 */
export function createCorrelationModule(deps: CorrelationDeps): EnrichmentModule {
  return {
    name: 'correlation',
    version: '1.0',
    description: 'Events on the waggle server that already hold the value (attributes/restSearch).',
    inputTypes: INPUT_TYPES,
    outputTypes: ['text'],
    async enrich(attribute, ctx) {
      if (attribute.value.trim() === '') throw new InputError('an empty value cannot be searched', { field: 'value' });
      const found = await deps.searchValue(attribute.value);
      const events = new Map<string, string>();
      for (const a of found) {
        if (a.comment?.startsWith(ENRICHMENT_MARK) === true || a.uuid === attribute.uuid) continue;
        const uuid = a.Event?.uuid ?? a.event_id;
        if (uuid !== undefined && uuid !== ctx.eventUuid && !events.has(uuid)) events.set(uuid, a.Event?.info ?? '');
      }
      if (events.size === 0) return NOTHING;
      return {
        attributes: [...events].map(([uuid, info]) => ({
          type: 'text',
          category: 'Other',
          value: `${attribute.value} also in event ${uuid}${info === '' ? '' : `: ${info}`}`,
          to_ids: false,
          comment: `${ENRICHMENT_MARK}: correlation`,
        })),
        objects: [],
        tags: [],
      };
    },
  };
}
