import type { Topic, TopicFilter } from './topics.js';

/** A message as a subscriber receives it. */
export interface BusMessage {
  readonly topic: Topic;
  /** The published value after a JSON round trip (the same in every adapter). */
  readonly payload: unknown;
  /** Unique per published message; NATS uses it to drop duplicate publishes. */
  readonly id: string;
  /** When the message was published, in milliseconds since the epoch. */
  readonly publishedAt: number;
  /**
   * Where the message stands in the bus's retained log (memory: publish sequence; NATS:
   * JetStream stream sequence), increasing with publish order. `subscribe(…, { after })`
   * resumes after it, e.g. an SSE client reconnecting with `Last-Event-ID`.
   */
  readonly position?: number;
}

/** Receives messages; a rejected promise or a throw counts as a failed delivery. */
export type BusHandler = (msg: BusMessage) => void | Promise<void>;

/**
 * Told about failures the bus cannot throw to a caller: a handler that failed, an
 * undecodable message, a lost connection. `message` is set when one message is concerned.
 */
export type BusErrorHandler = (error: unknown, message?: BusMessage) => void;

/** How a subscription starts. */
export interface SubscribeOptions {
  /**
   * Name of a durable subscription: it keeps its position when unsubscribed or closed
   * and resumes with the messages published meanwhile. Letters, digits, `-` and `_`.
   */
  readonly durable?: string;
  /** Start with the oldest retained message instead of the next one published. */
  readonly fromStart?: boolean;
  /**
   * Start after the message at this `position`: the retained messages published after it
   * first, then new ones. Messages no longer retained are skipped; a position ahead of the
   * log means "from now". Not with `durable` or `fromStart`.
   */
  readonly after?: number;
}

/** A live subscription. */
export interface Subscription {
  /** Stops delivery; a durable subscription keeps its position for the next subscribe. */
  unsubscribe(): Promise<void>;
}

/**
 * Publish/subscribe port. Delivery is asynchronous: `publish` resolves once the message
 * is accepted, not when handlers have run. Each subscriber sees messages in publish order.
 */
export interface Bus {
  /** Publishes `payload` (any JSON value) on `topic`. */
  publish(topic: Topic, payload: unknown): Promise<void>;
  /** Calls `handler` for each message on `topic`, or on every topic for `'*'`. */
  subscribe(topic: TopicFilter, handler: BusHandler, options?: SubscribeOptions): Promise<Subscription>;
  /**
   * Stops every subscription, waits for running handlers, then releases resources.
   * Do not await it from inside a handler: it waits for that handler.
   */
  close(): Promise<void>;
}
