import { randomUUID } from 'node:crypto';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { InputError, UnavailableError } from '@waggle/errors';
import type { Bus, BusErrorHandler, BusHandler, SubscribeOptions, Subscription } from './bus.js';
import { encodePayload } from './codec.js';
import { redactUrl, translateNatsError } from './nats-errors.js';
import { publishHeaders, subjectFor } from './nats-message.js';
import { DEFAULT_STREAM_LIMITS, ensureStream, type StreamLimits } from './nats-stream.js';
import { openNatsSubscription, type DeliveryPolicy, type NatsSubscription } from './nats-subscription.js';
import type { Topic, TopicFilter } from './topics.js';
import { assertSubscribeOptions, assertTopic, assertTopicFilter } from './validate.js';

/** Options of `createNatsBus`. Only `url` is required. */
export interface NatsBusOptions {
  /** NATS server, e.g. `nats://127.0.0.1:4222`; credentials in it are never printed. */
  readonly url: string;
  /** JetStream stream holding the bus messages (default `WAGGLE`). */
  readonly stream?: string;
  /** Subject prefix; topic `t` is published on `<prefix>.t` (default `waggle`). */
  readonly subjectPrefix?: string;
  /** Told about failed handlers, undecodable messages and connection trouble. */
  readonly onError?: BusErrorHandler;
  /** Connection name shown by the NATS server (default `waggle-bus`). */
  readonly name?: string;
  /** Timeout of connecting and of each JetStream request, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** Limits used when the stream has to be created. */
  readonly limits?: Partial<StreamLimits>;
  /** Redelivery of durable subscriptions. */
  readonly delivery?: Partial<DeliveryPolicy>;
  /** Message id source; defaults to random UUIDs. */
  readonly newId?: () => string;
  /** Clock in milliseconds; defaults to `Date.now`. */
  readonly now?: () => number;
}

const DEFAULT_DELIVERY: DeliveryPolicy = { redeliveryDelayMs: 1000, maxDeliver: 5, ackWaitMs: 30_000 };
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

async function open(url: string, name: string, timeout: number): Promise<NatsConnection> {
  try {
    // Reconnect forever once connected: a long-running server should outlive a NATS restart.
    return await connect({ servers: url, name, timeout, maxReconnectAttempts: -1, waitOnFirstConnect: false });
  } catch (error) {
    // Bad credentials are a configuration problem, not an outage.
    if (error instanceof errors.AuthorizationError || error instanceof errors.UserAuthenticationExpiredError) throw error;
    throw new UnavailableError(`Cannot connect to NATS at ${redactUrl(url)}: ${(error as Error).message}`, error);
  }
}

/** Reports connection trouble until the connection closes. */
async function watchStatus(nc: NatsConnection, report: BusErrorHandler): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'disconnect') report(new UnavailableError(`Lost the connection to NATS at ${redactUrl(status.server)}; reconnecting.`));
    else if (status.type === 'error') report(translateNatsError(status.error, 'connection'));
  }
}

/**
 * Connects to NATS, makes sure the JetStream stream for `<subjectPrefix>.>` exists, and
 * returns a `Bus` on it. Messages survive restarts within the stream limits; durable
 * subscriptions get at-least-once delivery. Rejects with `UnavailableError` when NATS or
 * JetStream cannot be reached, and with `InputError` for a malformed stream name or prefix.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const stream = options.stream ?? 'WAGGLE';
  const subjectPrefix = options.subjectPrefix ?? 'waggle';
  if (!STREAM_NAME.test(stream)) throw new InputError('A stream name is 1-64 letters, digits, "-" or "_".', { field: 'stream' });
  if (!SUBJECT_PREFIX.test(subjectPrefix)) throw new InputError('A subject prefix is dot-separated tokens of letters, digits, "-" or "_".', { field: 'subjectPrefix' });
  const timeout = options.timeoutMs ?? 5000;
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? Date.now;
  const report: BusErrorHandler = (error, message) => {
    try {
      options.onError?.(error, message);
    } catch {
      // A throwing reporter must not break delivery.
    }
  };

  const nc = await open(options.url, options.name ?? 'waggle-bus', timeout);
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout });
    await ensureStream(jsm, stream, subjectFor(subjectPrefix, '*'), { ...DEFAULT_STREAM_LIMITS, ...options.limits });
  } catch (error) {
    await nc.close();
    throw translateNatsError(error, 'stream setup');
  }
  const js = jetstream(nc, { timeout });
  const statusWatch = watchStatus(nc, report);
  const subscriptionDeps = { js, jsm, stream, subjectPrefix, delivery: { ...DEFAULT_DELIVERY, ...options.delivery }, report };
  const subscriptions = new Set<NatsSubscription>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new UnavailableError('The NATS bus is closed.');
  };

  return {
    async publish(topic: Topic, payload: unknown): Promise<void> {
      ensureOpen();
      assertTopic(topic);
      const body = encodePayload(payload);
      try {
        await js.publish(subjectFor(subjectPrefix, topic), body, { msgID: newId(), headers: publishHeaders(now()), timeout });
      } catch (error) {
        throw translateNatsError(error, 'publish');
      }
    },

    async subscribe(filter: TopicFilter, handler: BusHandler, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> {
      ensureOpen();
      assertTopicFilter(filter);
      assertSubscribeOptions(subscribeOptions);
      let sub: NatsSubscription;
      try {
        sub = await openNatsSubscription(subscriptionDeps, filter, handler, subscribeOptions);
      } catch (error) {
        throw translateNatsError(error, 'subscribe');
      }
      subscriptions.add(sub);
      return {
        async unsubscribe(): Promise<void> {
          subscriptions.delete(sub);
          await sub.unsubscribe();
        },
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((sub) => sub.stop()));
      subscriptions.clear();
      try {
        // Drain flushes pending acks and publishes before closing.
        await nc.drain();
      } catch (error) {
        if (!(error instanceof errors.ClosedConnectionError)) report(translateNatsError(error, 'close'));
      }
      await statusWatch;
    },
  };
}
