import type { BusHandler, BusMessage } from '../bus.js';

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${String(timeoutMs)} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A handler that records what it receives. */
export interface Collector {
  readonly handler: BusHandler;
  readonly messages: BusMessage[];
  /** Payloads received, in order. */
  payloads(): unknown[];
  /** Resolves once at least `count` messages have arrived. */
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
}

/** Builds a `Collector`; `before` runs ahead of recording (to slow the handler down or make it throw). */
export function aCollector(before?: (msg: BusMessage) => void | Promise<void>): Collector {
  const messages: BusMessage[] = [];
  return {
    messages,
    async handler(msg) {
      await before?.(msg);
      messages.push(msg);
    },
    payloads: () => messages.map((m) => m.payload),
    waitForCount: (count, timeoutMs) => waitFor(() => messages.length >= count, `${String(count)} messages (got ${String(messages.length)})`, timeoutMs),
  };
}

/** A `waggle_` topic no other test uses, so suites sharing a stream do not see each other's messages. */
export function aUniqueTopic(): `waggle_${string}` {
  return `waggle_test_${Math.random().toString(36).slice(2, 10)}`;
}
