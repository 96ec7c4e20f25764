import { followEventStream, type SseMessage, type StreamDrop, type subscribeEventStream } from '@waggle/client';
import type { Secret } from '@waggle/errors';
import { enrichEvent, type EnrichEventDeps, type EnrichEventReport } from './enrich-event.js';

/** Options of {@link watchAndEnrich}. */
export interface WatchOptions extends Omit<EnrichEventDeps, 'seen'> {
  /** Base URL of the waggle server. */
  readonly url: string;
  readonly key: Secret;
  /** Event timestamp (seconds) to catch up from when the stream first opens; absent: only changes from now on. */
  readonly since?: number;
  /** Called after each event was enriched. */
  readonly onReport?: (report: EnrichEventReport) => void;
  /** Called when enriching one event failed (the watch goes on). */
  readonly onError?: (eventId: string, error: unknown) => void;
  /** Called when the stream was lost (or could not be reopened), before waiting `delayMs` to reconnect. */
  readonly onDisconnect?: (drop: StreamDrop) => void;
  /** Called when a lost stream is open again and the catch-up search has queued what changed meanwhile. */
  readonly onReconnect?: (caughtUp: number) => void;
  /** Called when the catch-up search (or the baseline query) failed; the watch goes on. */
  readonly onCatchUpError?: (error: unknown) => void;
  /** First reconnection delay (default 1 s), doubled per failed attempt up to `maxReconnectDelayMs` (30 s), with jitter. */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  readonly fetch?: typeof fetch;
  /** Injected for tests. */
  readonly subscribe?: typeof subscribeEventStream;
}

/** Counters of a running watch. */
export interface WatchStats {
  /** Times the stream was lost (or an attempt to reopen it failed). */
  readonly disconnects: number;
  /** Events queued by catch-up searches after reconnecting. */
  readonly caughtUp: number;
}

/** A running watch. */
export interface Watch {
  /** Settles once the stream is open (rejects if it was refused for good before). */
  readonly ready: Promise<void>;
  /**
   * Settles after `close()` once the event being enriched is done; rejects when the
   * server refuses the stream for good (401, 403, 404: a wrong key or URL).
   */
  readonly closed: Promise<void>;
  readonly stats: WatchStats;
  close(): void;
}

const SEEN_LIMIT = 200_000;

/**
 * Follows `GET /events/stream` (topic `misp_json_event`) and enriches each
 * added or edited event, one at a time and in arrival order; an event that
 * is already waiting is not queued twice. Its own writes come back as edits:
 * they find nothing new to add (its additions are marked and skipped, and the
 * attributes it already enriched are remembered), so it never loops.
 *
 * A lost stream is reopened (`followEventStream`: capped exponential backoff
 * with jitter, `Last-Event-ID`). waggle's stream does not replay, so the
 * watch keeps a watermark, the highest event timestamp it has seen (at first
 * the newest event on the server, or `since`), and after reconnecting queues
 * every event changed since then (`events/restSearch`); enrichment is
 * idempotent, so events seen twice cost a read and add nothing.
 */
export function watchAndEnrich(options: WatchOptions): Watch {
  const seen = new Set<string>();
  const waiting: string[] = [];
  const queued = new Set<string>();
  const stats = { disconnects: 0, caughtUp: 0 };
  let stopping = false;
  let draining: Promise<void> = Promise.resolve();
  let watermark = options.since;
  let openResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    openResolve = resolve;
  });

  const mark = (ts: unknown): void => {
    const n = Number(ts);
    if (Number.isSafeInteger(n) && n > 0 && (watermark === undefined || n > watermark)) watermark = n;
  };

  // `busy` is set and cleared synchronously, so an event queued while the last one
  // finishes is never stranded; `draining` lets `closed` wait for the current event.
  let busy = false;
  const drain = async (): Promise<void> => {
    busy = true;
    while (waiting.length > 0 && !stopping) {
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
    busy = false;
  };
  const enqueue = (id: string): void => {
    if (stopping || queued.has(id)) return;
    queued.add(id);
    waiting.push(id);
    if (!busy) draining = drain();
  };

  const catchUp = async (): Promise<number> => {
    let n = 0;
    for await (const e of options.api.changedSince(watermark)) {
      mark(e.timestamp);
      n += 1;
      enqueue(e.id);
    }
    stats.caughtUp += n;
    return n;
  };

  const onOpen = (reconnected: boolean): void => {
    // First open: without `since`, the newest event on the server is the watermark, so a
    // stream lost before any message arrives still catches up on exactly the outage.
    const work = reconnected || options.since !== undefined
      ? catchUp()
      : options.api.newestTimestamp().then((ts) => {
        mark(ts);
        return 0;
      });
    void work.then(
      (n) => {
        if (reconnected) options.onReconnect?.(n);
      },
      (e: unknown) => options.onCatchUpError?.(e),
    ).finally(() => openResolve());
  };

  const onMessage = (m: SseMessage): void => {
    if (m.event !== 'misp_json_event') return;
    let payload: { action?: unknown; Event?: { id?: unknown; timestamp?: unknown } };
    try {
      payload = JSON.parse(m.data) as typeof payload;
    } catch {
      return;
    }
    mark(payload.Event?.timestamp);
    const id = payload.Event?.id;
    if (payload.action === 'delete' || (typeof id !== 'string' && typeof id !== 'number')) return;
    enqueue(String(id));
  };

  const follower = followEventStream({
    url: `${options.url.replace(/\/+$/, '')}/events/stream?topics=misp_json_event`,
    key: options.key,
    onMessage,
    onOpen: ({ reconnected }) => onOpen(reconnected),
    onDrop: (drop) => {
      stats.disconnects += 1;
      options.onDisconnect?.(drop);
    },
    ...(options.reconnectDelayMs === undefined ? {} : { reconnectDelayMs: options.reconnectDelayMs }),
    ...(options.maxReconnectDelayMs === undefined ? {} : { maxReconnectDelayMs: options.maxReconnectDelayMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.subscribe === undefined ? {} : { subscribe: options.subscribe }),
  });
  const closed = follower.closed.finally(async () => {
    stopping = true;
    waiting.length = 0;
    queued.clear();
    await draining;
  });
  const opened = Promise.race([ready, closed.then(() => Promise.reject(new Error('the event stream closed before it opened')))]);
  opened.catch(() => undefined);
  closed.catch(() => undefined);
  return {
    ready: opened,
    closed,
    stats,
    close: () => follower.close(),
  };
}
