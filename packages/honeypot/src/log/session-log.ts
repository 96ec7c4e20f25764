import type { EventSink } from '../service.js';
import { buildEvent, durationSeconds } from './build-event.js';
import type { EventEnvelope, EventFields, EventId } from './event.js';

/** Writes the events of one session with a fixed envelope. */
export interface SessionLog {
  readonly envelope: EventEnvelope;
  readonly startedAt: Date;
  emit<E extends EventId>(eventid: E, fields: EventFields[E]): void;
  /** Seconds since the session started. */
  elapsed(): number;
}

/** Dependencies of {@link createSessionLog}. */
export interface SessionLogDeps {
  sink: EventSink;
  now: () => Date;
}

/** Creates the event writer of one session; `startedAt` is taken from `deps.now()`. */
export function createSessionLog(deps: SessionLogDeps, envelope: EventEnvelope): SessionLog {
  const startedAt = deps.now();
  return {
    envelope,
    startedAt,
    emit(eventid, fields) {
      deps.sink.write(buildEvent(eventid, envelope, deps.now(), fields));
    },
    elapsed: () => durationSeconds(startedAt, deps.now()),
  };
}
