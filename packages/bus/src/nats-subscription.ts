import { nanos } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { BusErrorHandler, BusHandler, BusMessage, SubscribeOptions, Subscription } from './bus.js';
import { subjectFor, toBusMessage } from './nats-message.js';
import type { TopicFilter } from './topics.js';

/** Redelivery settings of durable subscriptions. */
export interface DeliveryPolicy {
  /** Wait before a message whose handler failed is offered again. */
  readonly redeliveryDelayMs: number;
  /** Attempts per message before it is given up (reported, then terminated). */
  readonly maxDeliver: number;
  /** How long the server waits for an ack before redelivering; running handlers extend it. */
  readonly ackWaitMs: number;
}

/** What a subscription needs from the bus that opens it. */
export interface NatsSubscriptionDeps {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly delivery: DeliveryPolicy;
  readonly report: BusErrorHandler;
}

/** A subscription plus the hook the bus uses on close to wait for its running handler. */
export interface NatsSubscription extends Subscription {
  /** Stops delivery and resolves once the handler in progress, if any, has settled. */
  stop(): Promise<void>;
}

async function ensureDurable(deps: NatsSubscriptionDeps, name: string, filterSubject: string, fromStart: boolean): Promise<void> {
  try {
    const info = await deps.jsm.consumers.info(deps.stream, name);
    // Position and policies stay as they are; only a changed topic is carried over.
    if (info.config.filter_subject !== filterSubject) {
      await deps.jsm.consumers.update(deps.stream, name, { filter_subject: filterSubject });
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
    await deps.jsm.consumers.add(deps.stream, {
      durable_name: name,
      filter_subject: filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: fromStart ? DeliverPolicy.All : DeliverPolicy.New,
      ack_wait: nanos(deps.delivery.ackWaitMs),
      max_deliver: deps.delivery.maxDeliver,
    });
  }
}

async function openMessages(deps: NatsSubscriptionDeps, filter: TopicFilter, options: SubscribeOptions): Promise<ConsumerMessages> {
  const subject = subjectFor(deps.subjectPrefix, filter);
  const fromStart = options.fromStart === true;
  if (options.durable !== undefined) {
    await ensureDurable(deps, options.durable, subject, fromStart);
    const consumer = await deps.js.consumers.get(deps.stream, options.durable);
    return consumer.consume();
  }
  // A single filter subject (not an array) keeps this working on nats-server 2.9.
  // "From now" is pinned to the stream's last sequence before subscribe resolves, so a
  // message published right after subscribe() is never missed while the consumer is created.
  const { state } = await deps.jsm.streams.info(deps.stream);
  // Resuming after a position: the next sequence, but never beyond "from now".
  const start = Math.min(options.after === undefined ? state.last_seq : options.after, state.last_seq) + 1;
  const consumer = await deps.js.consumers.get(
    deps.stream,
    fromStart
      ? { filter_subjects: subject, deliver_policy: DeliverPolicy.All }
      : { filter_subjects: subject, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start },
  );
  return consumer.consume();
}

/**
 * Runs `handler` for a durable message, telling the server it is still being worked on so
 * that a slow handler does not get the message redelivered meanwhile.
 */
async function runWithKeepAlive(handler: BusHandler, message: BusMessage, m: JsMsg, ackWaitMs: number): Promise<void> {
  const keepAlive = setInterval(() => {
    m.working();
  }, Math.max(ackWaitMs / 2, 100));
  try {
    await handler(message);
  } finally {
    clearInterval(keepAlive);
  }
}

/** Acks and naks are fire-and-forget; on a connection that closed meanwhile they throw, and redelivery covers it. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // Nothing to do: the server will redeliver the message.
  }
}

/**
 * Opens a JetStream consumer for `filter` and feeds its messages to `handler` one at a time.
 * A durable subscription acks after the handler resolves and naks (delayed redelivery) when
 * it fails; an ephemeral one is an ordered consumer that needs no acks.
 */
export async function openNatsSubscription(
  deps: NatsSubscriptionDeps,
  filter: TopicFilter,
  handler: BusHandler,
  options: SubscribeOptions,
): Promise<NatsSubscription> {
  const messages = await openMessages(deps, filter, options);
  const durable = options.durable !== undefined;
  const { delivery, report } = deps;
  // An object rather than a `let`, so the checks below are not narrowed away across awaits.
  const state = { stopped: false };

  const handle = async (m: JsMsg): Promise<void> => {
    let message: BusMessage;
    try {
      message = toBusMessage(deps.subjectPrefix, m);
    } catch (error) {
      report(error);
      // An undecodable message would fail the same way every time.
      if (durable) {
        settle(() => {
          m.term('undecodable');
        });
      }
      return;
    }
    try {
      if (durable) {
        await runWithKeepAlive(handler, message, m, delivery.ackWaitMs);
        settle(() => {
          m.ack();
        });
      } else {
        await handler(message);
      }
    } catch (error) {
      report(error, message);
      if (!durable) return;
      if (m.info.deliveryCount >= delivery.maxDeliver) {
        report(new Error(`Giving up on message ${message.id} after ${String(m.info.deliveryCount)} failed deliveries.`), message);
        settle(() => {
          m.term('handler failed');
        });
      } else {
        settle(() => {
          m.nak(delivery.redeliveryDelayMs);
        });
      }
    }
  };

  const loop = (async (): Promise<void> => {
    try {
      for await (const m of messages) {
        if (state.stopped) {
          // Hand buffered messages straight back so the next subscriber gets them without waiting for ack_wait.
          if (durable) {
            settle(() => {
              m.nak();
            });
          }
          continue;
        }
        await handle(m);
      }
    } catch (error) {
      if (!state.stopped) report(error);
    }
  })();

  const halt = (): void => {
    if (state.stopped) return;
    state.stopped = true;
    // close() stops pulling at once but resolves only when the iterator ends, which waits for
    // the running handler: awaiting it here would deadlock a handler that unsubscribes itself.
    messages.close().catch((error: unknown) => {
      report(error);
    });
  };

  return {
    unsubscribe(): Promise<void> {
      halt();
      return Promise.resolve();
    },
    async stop(): Promise<void> {
      halt();
      await loop;
    },
  };
}
