import { nanos } from '@nats-io/transport-node';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';

/** Retention limits of the bus stream. */
export interface StreamLimits {
  /** How long messages are kept, which bounds how long a durable subscriber may be away. */
  readonly maxAgeMs: number;
  /** Size cap; the oldest messages go first when it is reached. */
  readonly maxBytes: number;
  /** How long a message id is remembered to drop a repeated publish. */
  readonly duplicateWindowMs: number;
}

/** Default limits: a week of history, at most 1 GiB, duplicates dropped within two minutes. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxBytes: 1024 * 1024 * 1024,
  duplicateWindowMs: 2 * 60 * 1000,
};

/**
 * Makes sure stream `name` exists and captures `subject`. Creating is idempotent when two
 * processes race; an existing stream keeps its limits (an operator may have tuned them)
 * and only gains the subject if it lacks it.
 */
export async function ensureStream(jsm: JetStreamManager, name: string, subject: string, limits: StreamLimits): Promise<void> {
  try {
    const info = await jsm.streams.info(name);
    // Typed as always present, but the server omits it for streams that only mirror or source.
    const current = (info.config.subjects as readonly string[] | undefined) ?? [];
    if (!current.includes(subject)) {
      await jsm.streams.update(name, { subjects: [...current, subject] });
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    await jsm.streams.add({
      name,
      subjects: [subject],
      description: 'waggle event bus (MISP ZeroMQ topics)',
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: nanos(limits.maxAgeMs),
      max_bytes: limits.maxBytes,
      duplicate_window: nanos(limits.duplicateWindowMs),
      num_replicas: 1,
    });
  }
}
