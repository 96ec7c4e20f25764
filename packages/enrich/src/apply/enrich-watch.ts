import { subscribeEventStream } from '@waggle/client';
import type { Secret } from '@waggle/errors';
import { enrichEvent, type EnrichEventDeps, type EnrichEventReport } from './enrich-event.js';

/** Options of {@link watchAndEnrich}. */
export interface WatchOptions extends Omit<EnrichEventDeps, 'seen'> {
  /** Base URL of the waggle server. */
  readonly url: string;
  readonly key: Secret;
  /** Called after each event was enriched. */
  readonly onReport?: (report: EnrichEventReport) => void;
  /** Called when enriching one event failed (the watch goes on). */
  readonly onError?: (eventId: string, error: unknown) => void;
  readonly fetch?: typeof fetch;
}

/** A running watch. */
export interface Watch {
  /** Settles once the stream is open. */
  readonly ready: Promise<void>;
  /** Settles when the stream ends (rejects if it failed). */
  readonly closed: Promise<void>;
  close(): void;
}

const SEEN_LIMIT = 200_000;

/**
 * Follows `GET /events/stream` (topic `misp_json_event`) and enriches each
 * added or edited event, one at a time and in arrival order; an event that
 * is already waiting is not queued twice. Its own writes come back as edits:
 * they find nothing new to add (its additions are marked and skipped, and the
 * attributes it already enriched are remembered), so it never loops.
 */
export function watchAndEnrich(options: WatchOptions): Watch {
  const seen = new Set<string>();
  const waiting: string[] = [];
  const queued = new Set<string>();
  let running = false;
  let openResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    openResolve = resolve;
  });
  const drain = async (): Promise<void> => {
    if (running) return;
    running = true;
    while (waiting.length > 0) {
      const id = waiting.shift() as string;
      queued.delete(id);
      if (seen.size > SEEN_LIMIT) seen.clear();
      try {
        const report = await enrichEvent({ api: options.api, registry: options.registry, ...(options.modules === undefined ? {} : { modules: options.modules }), seen }, id);
        options.onReport?.(report);
      } catch (e) {
        options.onError?.(id, e);
      }
    }
    running = false;
  };
  const sub = subscribeEventStream({
    url: `${options.url.replace(/\/+$/, '')}/events/stream?topics=misp_json_event`,
    key: options.key,
    onOpen: () => openResolve(),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    onMessage: (m) => {
      if (m.event !== 'misp_json_event') return;
      let payload: { action?: unknown; Event?: { id?: unknown } };
      try {
        payload = JSON.parse(m.data) as typeof payload;
      } catch {
        return;
      }
      const id = payload.Event?.id;
      if (payload.action === 'delete' || (typeof id !== 'string' && typeof id !== 'number')) return;
      const key = String(id);
      if (queued.has(key)) return;
      queued.add(key);
      waiting.push(key);
      void drain();
    },
  });
  const opened = Promise.race([ready, sub.closed.then(() => Promise.reject(new Error('the event stream closed before it opened')))]);
  opened.catch(() => undefined);
  return { ready: opened, closed: sub.closed, close: () => sub.close() };
}
