import type { EventSink } from '../service.js';
import type { EventId, HoneypotEvent } from './event.js';

/** A sink that keeps events in memory, for tests and for in-process consumers. */
export interface MemorySink extends EventSink {
  readonly events: HoneypotEvent[];
  /** Events with one id, typed. */
  byId<E extends EventId>(eventid: E): HoneypotEvent<E>[];
  /** Resolves when an event matching `predicate` has been written (or rejects after `timeoutMs`). */
  waitFor(predicate: (event: HoneypotEvent) => boolean, timeoutMs?: number): Promise<HoneypotEvent>;
}

/** Creates an in-memory sink; `maxEvents` (default 100 000) drops the oldest beyond it. */
export function createMemorySink(maxEvents = 100_000): MemorySink {
  const events: HoneypotEvent[] = [];
  const waiters = new Set<{ predicate: (e: HoneypotEvent) => boolean; resolve: (e: HoneypotEvent) => void }>();
  return {
    events,
    write(event) {
      events.push(event);
      if (events.length > maxEvents) events.shift();
      for (const waiter of waiters) {
        if (waiter.predicate(event)) {
          waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
    },
    byId<E extends EventId>(eventid: E) {
      return events.filter((e): e is HoneypotEvent<E> => e.eventid === eventid);
    },
    waitFor(predicate, timeoutMs = 5000) {
      const found = events.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (e: HoneypotEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => Promise.resolve(),
  };
}
