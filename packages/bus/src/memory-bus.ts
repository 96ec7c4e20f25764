import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@waggle/errors';
import type { Bus, BusErrorHandler, BusHandler, BusMessage, SubscribeOptions, Subscription } from './bus.js';
import { decodePayload, encodePayloadText } from './codec.js';
import type { Topic, TopicFilter } from './topics.js';
import { assertSubscribeOptions, assertTopic, assertTopicFilter } from './validate.js';

/** Options of `createMemoryBus`; every field has a production default. */
export interface MemoryBusOptions {
  /** Told about failed handlers; without it such failures are dropped. */
  readonly onError?: BusErrorHandler;
  /** Message id source; defaults to random UUIDs. */
  readonly newId?: () => string;
  /** Clock in milliseconds; defaults to `Date.now`. */
  readonly now?: () => number;
  /** How many past messages are kept for `fromStart` and durable resumption (default 10 000). */
  readonly historyLimit?: number;
  /**
   * The most bytes of encoded messages the history keeps (default 8 MiB); older messages go
   * first. Events of thousands of attributes are megabytes of JSON each, so a count alone does
   * not bound the memory. The newest message is always kept. Messages are kept as JSON text
   * and counted by its length, which is the bytes V8 holds for the ASCII text JSON mostly is
   * (text with other characters takes two bytes per character, counted as one).
   */
  readonly historyMaxBytes?: number;
}

/**
 * A published message as stored: encoded once, decoded per delivery so subscribers never
 * share objects. The JSON stays text: turning it into UTF-8 bytes as well cost a pass over
 * every added event's JSON on the ingest path, for nothing an in-process subscriber needs.
 */
interface Entry {
  readonly seq: number;
  readonly topic: Topic;
  readonly id: string;
  readonly publishedAt: number;
  readonly body: string;
}

interface Subscriber {
  readonly filter: TopicFilter;
  readonly handler: BusHandler;
  readonly durable: string | undefined;
  readonly queue: Entry[];
  active: boolean;
  /** Settles when the subscriber's queue is empty; undefined while idle. */
  pumping: Promise<void> | undefined;
}

const matches = (filter: TopicFilter, topic: Topic): boolean => filter === '*' || filter === topic;

/** Runs synchronous work as a promise, so a throw becomes a rejection like in the networked adapter. */
const asPromise = <T>(work: () => T): Promise<T> =>
  new Promise((resolve) => {
    resolve(work());
  });

/**
 * In-process bus for tests and single-process deployments. Each subscriber has its own
 * queue worked through one message at a time, so it sees messages in publish order and a
 * slow or failing handler holds up nobody else. A bounded history serves `fromStart` and
 * lets a durable subscription resume within the same process; nothing survives a restart,
 * and failed deliveries are reported, not retried.
 */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? Date.now;
  const historyLimit = options.historyLimit ?? 10_000;
  const historyMaxBytes = options.historyMaxBytes ?? 8 * 1024 * 1024;
  const history: Entry[] = [];
  let historyBytes = 0;
  const subscribers = new Set<Subscriber>();
  // Last sequence each durable subscription finished handling.
  const durableCursors = new Map<string, number>();
  let seq = 0;
  let closed = false;

  const report = (error: unknown, message?: BusMessage): void => {
    try {
      options.onError?.(error, message);
    } catch {
      // An error reporter that throws must not break delivery either.
    }
  };

  const deliver = async (sub: Subscriber, entry: Entry): Promise<void> => {
    const message: BusMessage = {
      topic: entry.topic,
      payload: decodePayload(entry.body),
      id: entry.id,
      publishedAt: entry.publishedAt,
      position: entry.seq,
    };
    try {
      await sub.handler(message);
    } catch (error) {
      report(error, message);
    }
    if (sub.durable !== undefined) durableCursors.set(sub.durable, entry.seq);
  };

  const pump = async (sub: Subscriber): Promise<void> => {
    // Yield first so handlers never run inside the publisher's call stack.
    await Promise.resolve();
    for (let entry = sub.queue.shift(); entry !== undefined && sub.active; entry = sub.queue.shift()) {
      await deliver(sub, entry);
    }
    sub.pumping = undefined;
  };

  const enqueue = (sub: Subscriber, entries: readonly Entry[]): void => {
    sub.queue.push(...entries);
    if (sub.pumping === undefined && sub.queue.length > 0) sub.pumping = pump(sub);
  };

  const ensureOpen = (): void => {
    if (closed) throw new UnavailableError('The memory bus is closed.');
  };

  return {
    publish: (topic: Topic, payload: unknown): Promise<void> =>
      asPromise(() => {
        ensureOpen();
        assertTopic(topic);
        seq += 1;
        const entry: Entry = { seq, topic, id: newId(), publishedAt: now(), body: encodePayloadText(payload) };
        history.push(entry);
        historyBytes += entry.body.length;
        let drop = 0;
        while (history.length - drop > 1 && (history.length - drop > historyLimit || historyBytes > historyMaxBytes)) {
          historyBytes -= (history[drop] as Entry).body.length;
          drop += 1;
        }
        if (drop > 0) history.splice(0, drop);
        for (const sub of subscribers) {
          if (matches(sub.filter, topic)) enqueue(sub, [entry]);
        }
      }),

    subscribe: (filter: TopicFilter, handler: BusHandler, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> =>
      asPromise(() => {
        ensureOpen();
        assertTopicFilter(filter);
        assertSubscribeOptions(subscribeOptions);
        const { durable } = subscribeOptions;
        const sub: Subscriber = { filter, handler, durable, queue: [], active: true, pumping: undefined };
        const cursor = durable === undefined ? undefined : durableCursors.get(durable);
        // A known durable resumes after its cursor; a new one starts now or, if asked, from the start.
        const startAfter = cursor ?? (subscribeOptions.fromStart === true ? 0 : Math.min(subscribeOptions.after ?? seq, seq));
        if (durable !== undefined && cursor === undefined) durableCursors.set(durable, startAfter);
        subscribers.add(sub);
        enqueue(sub, history.filter((entry) => entry.seq > startAfter && matches(filter, entry.topic)));
        return {
          unsubscribe: () =>
            asPromise(() => {
              sub.active = false;
              subscribers.delete(sub);
            }),
        };
      }),

    async close(): Promise<void> {
      closed = true;
      const running: Promise<void>[] = [];
      for (const sub of subscribers) {
        sub.active = false;
        if (sub.pumping !== undefined) running.push(sub.pumping);
      }
      subscribers.clear();
      await Promise.all(running);
    },
  };
}
