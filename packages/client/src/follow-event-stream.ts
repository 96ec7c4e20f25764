import { isWaggleError, type Secret } from '@waggle/errors';
import { subscribeEventStream, type SseMessage } from './sse-stream.js';

/** What `onOpen` learns about a (re)opened stream. */
export interface StreamOpen {
  /** False until a stream has been open; true when a lost stream was reopened. */
  readonly reconnected: boolean;
}

/** What `onDrop` learns about a lost stream (or a failed attempt to open it). */
export interface StreamDrop {
  /** Why (absent when the server ended the stream cleanly). */
  readonly error?: Error;
  /** How long it waits before the next attempt. */
  readonly delayMs: number;
  /** Drops so far, this one included. */
  readonly drops: number;
  /** Whether the stream had opened before it was lost (false: the attempt itself failed). */
  readonly wasOpen: boolean;
}

/** Options of {@link followEventStream}. */
export interface FollowOptions {
  /** Full URL of the stream (e.g. `http://127.0.0.1:8080/events/stream?topics=misp_json_event`). */
  readonly url: string;
  readonly key: Secret;
  readonly onMessage: (m: SseMessage) => void;
  readonly onOpen?: (info: StreamOpen) => void;
  readonly onDrop?: (info: StreamDrop) => void;
  /** First delay before reconnecting (default 1 s), doubled per attempt that fails to open, up to `maxReconnectDelayMs` (30 s). */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  /** Injected for tests: randomness of the jitter (default `Math.random`), how to wait, how to open one connection. */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly subscribe?: typeof subscribeEventStream;
  readonly fetch?: typeof fetch;
}

/** A followed stream. */
export interface EventStreamFollower {
  /**
   * Settles after `close()`. Rejects when the server refuses the subscription for
   * good (a non-retryable error: 401, 403, 404, other 4xx): retrying would not help.
   */
  readonly closed: Promise<void>;
  /** The id of the last message received (sent as `Last-Event-ID` when reconnecting). */
  readonly lastEventId: string | undefined;
  /** Times the stream was lost (or an attempt to open it failed). */
  readonly drops: number;
  close(): void;
}

/**
 * The wait before reconnection attempt `failures` (0 right after an open stream was lost):
 * `base · 2^failures` capped at `max`, with "equal jitter" (a uniformly random point in its
 * upper half), so many followers of one restarted server do not reconnect in lockstep.
 */
export function reconnectDelay(base: number, max: number, failures: number, random: () => number): number {
  const capped = Math.min(max, base * 2 ** Math.min(failures, 30));
  return Math.round(capped / 2 + (random() * capped) / 2);
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Follows an SSE event stream until `close()`: whenever the connection ends or fails, it
 * waits ({@link reconnectDelay}) and opens it again, sending the last message id as
 * `Last-Event-ID`. A server that does not replay (waggle's `GET /events/stream` does not)
 * loses what was published meanwhile; `onOpen` with `reconnected: true` is the moment
 * to catch up through the REST API.
 */
export function followEventStream(options: FollowOptions): EventStreamFollower {
  const subscribe = options.subscribe ?? subscribeEventStream;
  const base = options.reconnectDelayMs ?? 1000;
  const max = options.maxReconnectDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  let stopped = false;
  let lastEventId: string | undefined;
  let drops = 0;
  let current: { close(): void } | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      if (options.sleep !== undefined) void options.sleep(ms).then(resolve, resolve);
      else timer = setTimeout(resolve, ms);
    }).finally(() => {
      wake = undefined;
    });

  const run = async (): Promise<void> => {
    let failures = 0;
    let everOpened = false;
    while (!stopped) {
      let opened = false;
      const sub = subscribe({
        url: options.url,
        key: options.key,
        ...(lastEventId === undefined ? {} : { lastEventId }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        onMessage: (m) => {
          if (m.id !== undefined) lastEventId = m.id;
          options.onMessage(m);
        },
        onOpen: () => {
          opened = true;
          failures = 0;
          const reconnected = everOpened;
          everOpened = true;
          options.onOpen?.({ reconnected });
        },
      });
      current = sub;
      let error: Error | undefined;
      try {
        await sub.closed;
      } catch (e) {
        error = asError(e);
      }
      current = undefined;
      if (stopped) return;
      if (error !== undefined && isWaggleError(error) && !error.retryable) throw error;
      drops += 1;
      const delayMs = reconnectDelay(base, max, failures, random);
      if (!opened) failures += 1;
      options.onDrop?.({ ...(error === undefined ? {} : { error }), delayMs, drops, wasOpen: opened });
      if (stopped) return;
      await pause(delayMs);
    }
  };

  const closed = run();
  return {
    closed,
    get lastEventId() {
      return lastEventId;
    },
    get drops() {
      return drops;
    },
    close() {
      stopped = true;
      current?.close();
      wake?.();
    },
  };
}
