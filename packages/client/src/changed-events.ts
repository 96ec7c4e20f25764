import type { MispClient } from './misp-client.js';

/** An event found by {@link eventsChangedSince}. */
export interface ChangedEvent {
  readonly id: string;
  /** The event's `timestamp` (seconds), absent when the server sent none. */
  readonly timestamp?: number;
}

const PAGE = 50;

const timestampOf = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * The events (metadata only) whose `timestamp` is at or after `from` (every event the key
 * may see when `from` is absent), page by page through `events/restSearch`. What a stream
 * follower searches after reconnecting, to catch up on what changed while it was away.
 */
export async function* eventsChangedSince(client: MispClient, from: number | undefined, pageSize = PAGE): AsyncGenerator<ChangedEvent> {
  for (let page = 1; ; page += 1) {
    const body = { returnFormat: 'json', metadata: true, limit: pageSize, page, ...(from === undefined ? {} : { event_timestamp: String(from) }) };
    const answer = (await client.request('POST', '/events/restSearch', body)) as { response?: { Event?: { id?: unknown; timestamp?: unknown } }[] } | undefined;
    const events = answer?.response ?? [];
    for (const e of events) {
      const id = e.Event?.id;
      if (typeof id !== 'string' && typeof id !== 'number') continue;
      const timestamp = timestampOf(e.Event?.timestamp);
      yield { id: String(id), ...(timestamp === undefined ? {} : { timestamp }) };
    }
    if (events.length < pageSize) return;
  }
}

/** The highest event `timestamp` the key may see (`events/index`, newest first), undefined when it sees no event. */
export async function newestEventTimestamp(client: MispClient): Promise<number | undefined> {
  const rows = await client.request('POST', '/events/index', { sort: 'timestamp', direction: 'desc', limit: 1, minimal: true });
  if (!Array.isArray(rows)) return undefined;
  const first = rows[0] as { timestamp?: unknown } | undefined;
  return timestampOf(first?.timestamp);
}
