import { connect, type NatsConnection } from '@nats-io/transport-node';
import { UnavailableError } from '@waggle/errors';
import { encodePayload } from './codec.js';
import { redactUrl } from './nats-errors.js';

/** Plain NATS publishing on arbitrary subjects (no JetStream), for fan-out to outside consumers. */
export interface NatsPublisher {
  publish(subject: string, payload: unknown): void;
  close(): Promise<void>;
}

const SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Connects to NATS for plain publishing; subjects are checked so a value never becomes a wildcard. */
export async function connectNatsPublisher(url: string, name = 'waggle-stream'): Promise<NatsPublisher> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name, maxReconnectAttempts: -1, waitOnFirstConnect: false });
  } catch (error) {
    throw new UnavailableError(`Cannot connect to NATS at ${redactUrl(url)}: ${(error as Error).message}`, error);
  }
  return {
    publish(subject, payload) {
      if (!SUBJECT.test(subject)) throw new Error(`not a literal NATS subject: ${subject}`);
      nc.publish(subject, encodePayload(payload));
    },
    async close() {
      await nc.drain();
    },
  };
}
