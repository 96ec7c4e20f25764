import type { EventSink } from '../service.js';

/** Writes every event to each sink; one failing sink does not stop the others. */
export function createFanoutSink(...sinks: EventSink[]): EventSink {
  return {
    write(event) {
      for (const sink of sinks) {
        try {
          sink.write(event);
        } catch {
          // A broken sink (full disk, closed stream) must not silence the others.
        }
      }
    },
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
