import { InputError, type Secret } from '@waggle/errors';
import { eventsChangedSince, followEventStream, type EventStreamFollower, type MispClient, type SseMessage, type subscribeEventStream } from '@waggle/client';
import { validateDetectorName } from '../record/attack-type-record.js';
import { runCooperativeOnEvent, type CooperativeDeps, type CooperativeOutcome } from './process-event.js';
import type { RuleSet } from './rule-set.js';

/** Options of {@link createCooperativeDetector}. */
export interface CooperativeDetectorOptions {
  readonly client: MispClient;
  /** The API key again, for the event stream (the client does not expose it). */
  readonly key: Secret;
  readonly rules: RuleSet;
  /** Key in the attack_type record; default `waggle-rules`. */
  readonly name?: string;
  readonly version: string;
  /** Event timestamp (seconds) to catch up from when the stream first opens; absent: only new changes. */
  readonly since?: number;
  /** First delay before reconnecting (default 1 s), doubled per failed attempt up to `maxReconnectDelayMs` (30 s). */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  readonly onOutcome?: (outcome: CooperativeOutcome) => void;
  readonly onError?: (error: Error) => void;
  /** Injected for tests: how to open the stream, how to wait and the jitter's randomness. */
  readonly subscribe?: typeof subscribeEventStream;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Counters of a running detector. */
export interface CooperativeStats {
  /** Events judged (each fetch of an event). */
  events: number;
  merged: number;
  /** Times the stream was lost and reopened. */
  reconnects: number;
  /** Events found by catch-up searches after (re)connecting. */
  caughtUp: number;
}

/** The cooperative detector: follow the event stream, or judge one event. */
export interface CooperativeDetector {
  /** Judges one event's findings now. */
  runOnEvent(eventId: string): Promise<CooperativeOutcome[]>;
  /** Starts following the stream (reconnecting until `stop`). */
  start(): void;
  /** Resolves the next time the stream is open (and, after a reconnect, once catch-up is queued). */
  whenOpen(): Promise<void>;
  /** Resolves when no event is queued or being judged. */
  idle(): Promise<void>;
  /**
   * Resolves when following ended: after `stop`, or when the server refused the stream
   * for good (a 401/403/404; the error went to `onError`). Resolves at once if not started.
   */
  finished(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: Readonly<CooperativeStats>;
}

/**
 * Creates the cooperative second detector. It follows `GET /events/stream`
 * (topics `misp_json_event` and `misp_json_object`), and for every event that
 * changed fetches it and runs the rule engine on each security-event finding
 * that lacks its own entry (see `processEvent`). Events are judged one at a
 * time, and an event already waiting in the queue is not queued twice. The
 * highest event timestamp seen is the watermark: after a lost stream it
 * reconnects (`followEventStream`: capped exponential backoff with jitter) and
 * searches `events/restSearch` (`eventsChangedSince`) for
 * events changed since the watermark (all events if it has none yet), so
 * nothing changed during the outage is missed; its own entries make that
 * replay idempotent.
 */
export function createCooperativeDetector(options: CooperativeDetectorOptions): CooperativeDetector {
  const name = validateDetectorName(options.name ?? 'waggle-rules');
  if (options.version.trim() === '') throw new InputError('the detector version must not be empty', { field: 'version' });
  const deps: CooperativeDeps = { client: options.client, rules: options.rules, name, version: options.version };
  const report = (e: unknown): void => options.onError?.(e instanceof Error ? e : new Error(String(e)));
  const stats: CooperativeStats = { events: 0, merged: 0, reconnects: 0, caughtUp: 0 };
  let watermark = options.since;
  let queue = Promise.resolve();
  const pending = new Set<string>();
  let stopped = false;
  let follower: EventStreamFollower | undefined;
  let loop: Promise<void> | undefined;
  let openWaiters: (() => void)[] = [];

  const seen = (ts: unknown): void => {
    const n = Number(ts);
    if (Number.isSafeInteger(n) && n > 0 && (watermark === undefined || n > watermark)) watermark = n;
  };

  const runOnEvent = async (eventId: string): Promise<CooperativeOutcome[]> => {
    const outcomes = await runCooperativeOnEvent(deps, eventId);
    stats.events += 1;
    for (const o of outcomes) {
      if (o.action === 'merged') stats.merged += 1;
      options.onOutcome?.(o);
    }
    return outcomes;
  };

  const enqueue = (eventId: string): void => {
    if (pending.has(eventId) || stopped) return;
    pending.add(eventId);
    queue = queue.then(async () => {
      pending.delete(eventId);
      if (!stopped) await runOnEvent(eventId);
    }).catch(report);
  };

  const onMessage = (m: SseMessage): void => {
    let payload: { action?: unknown; Event?: { id?: unknown; timestamp?: unknown }; Object?: { event_id?: unknown } };
    try {
      payload = JSON.parse(m.data) as typeof payload;
    } catch {
      return;
    }
    if (payload.action === 'delete') return;
    seen(payload.Event?.timestamp);
    const id = m.event === 'misp_json_event' ? payload.Event?.id : m.event === 'misp_json_object' ? payload.Object?.event_id : undefined;
    if (id !== undefined && id !== null) enqueue(String(id as string | number));
  };

  const catchUp = async (from: number | undefined): Promise<void> => {
    for await (const e of eventsChangedSince(options.client, from)) {
      seen(e.timestamp);
      stats.caughtUp += 1;
      enqueue(e.id);
    }
  };

  const onOpen = (reconnected: boolean): void => {
    const done = reconnected || options.since !== undefined ? catchUp(watermark).catch(report) : Promise.resolve();
    void done.then(() => {
      const waiters = openWaiters;
      openWaiters = [];
      for (const w of waiters) w();
    });
  };

  const follow = (): Promise<void> => {
    const f = followEventStream({
      url: `${options.client.url}/events/stream?topics=misp_json_event,misp_json_object`,
      key: options.key,
      onMessage,
      onOpen: ({ reconnected }) => onOpen(reconnected),
      onDrop: ({ error }) => {
        stats.reconnects += 1;
        if (error !== undefined) report(error);
      },
      ...(options.reconnectDelayMs === undefined ? {} : { reconnectDelayMs: options.reconnectDelayMs }),
      ...(options.maxReconnectDelayMs === undefined ? {} : { maxReconnectDelayMs: options.maxReconnectDelayMs }),
      ...(options.subscribe === undefined ? {} : { subscribe: options.subscribe }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    follower = f;
    return f.closed.catch(report);
  };

  return {
    runOnEvent,
    start() {
      if (loop !== undefined) return;
      stopped = false;
      loop = follow();
    },
    whenOpen: () => new Promise<void>((resolve) => openWaiters.push(resolve)),
    finished: async () => {
      await loop;
    },
    idle: async () => {
      let last: Promise<void>;
      do {
        last = queue;
        await last;
      } while (last !== queue);
    },
    async stop() {
      stopped = true;
      follower?.close();
      await loop;
      await queue;
      loop = undefined;
    },
    stats,
  };
}
