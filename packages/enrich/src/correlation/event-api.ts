import { eventsChangedSince, newestEventTimestamp, type ChangedEvent, type MispClient } from '@waggle/client';
import { UnavailableError } from '@waggle/errors';
import type { NewAttribute, NewObject } from '../module.js';

/** An attribute as a server returns it (the fields enrichment reads). */
export interface ServerAttribute {
  readonly id?: string;
  readonly uuid: string;
  readonly type: string;
  readonly value: string;
  readonly event_id?: string;
  readonly object_relation?: string | null;
  readonly comment?: string;
  readonly Tag?: readonly { readonly name: string }[];
  readonly Event?: { readonly id?: string; readonly uuid?: string; readonly info?: string };
}

/** An object as a server returns it. */
export interface ServerObject {
  readonly uuid?: string;
  readonly name: string;
  readonly comment?: string;
  readonly Attribute?: readonly ServerAttribute[];
}

/** An event as `events/view` returns it (the fields enrichment reads). */
export interface ServerEvent {
  readonly id: string;
  readonly uuid: string;
  readonly info?: string;
  readonly Attribute?: readonly ServerAttribute[];
  readonly Object?: readonly ServerObject[];
}

/** Port: the MISP API calls enrichment makes. */
export interface EventApi {
  getEvent(id: string): Promise<ServerEvent>;
  addAttribute(eventId: string, attribute: NewAttribute): Promise<void>;
  addObject(eventId: string, object: NewObject): Promise<void>;
  attachTag(uuid: string, tag: string): Promise<void>;
  /** Attributes holding exactly this value, in any event the key may see. */
  searchValue(value: string): Promise<ServerAttribute[]>;
  /** Events changed at or after `timestamp` (all when absent): the catch-up after a lost event stream. */
  changedSince(timestamp: number | undefined): AsyncIterable<ChangedEvent>;
  /** The highest event timestamp the key may see (undefined: no events). */
  newestTimestamp(): Promise<number | undefined>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The adapter over `@waggle/client`'s MISP REST client (waggle or MISP). */
export function createEventApi(client: MispClient): EventApi {
  return {
    async getEvent(id) {
      const json = await client.request('GET', `/events/view/${encodeURIComponent(id)}`);
      const event = isObject(json) ? json.Event : undefined;
      if (!isObject(event) || typeof event.uuid !== 'string') throw new UnavailableError(`events/view/${id}: the answer holds no Event`);
      return event as unknown as ServerEvent;
    },
    async addAttribute(eventId, attribute) {
      await client.request('POST', `/attributes/add/${encodeURIComponent(eventId)}`, attribute);
    },
    async addObject(eventId, object) {
      await client.request('POST', `/objects/add/${encodeURIComponent(eventId)}`, { Object: object });
    },
    async attachTag(uuid, tag) {
      await client.request('POST', '/tags/attachTagToObject', { uuid, tag });
    },
    async searchValue(value) {
      const json = await client.request('POST', '/attributes/restSearch', { value, includeEventUuid: 1, limit: 100 });
      const list = isObject(json) && isObject(json.response) ? json.response.Attribute : undefined;
      return Array.isArray(list) ? (list as ServerAttribute[]) : [];
    },
    changedSince: (timestamp) => eventsChangedSince(client, timestamp),
    newestTimestamp: () => newestEventTimestamp(client),
  };
}
