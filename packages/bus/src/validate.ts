import { InputError } from '@waggle/errors';
import { isTopic, type Topic, type TopicFilter } from './topics.js';
import type { SubscribeOptions } from './bus.js';

/** Throws `InputError` unless `topic` is a known MISP topic or a `waggle_` topic. */
export function assertTopic(topic: unknown): asserts topic is Topic {
  if (!isTopic(topic)) {
    throw new InputError(`Unknown bus topic: ${String(topic)}`, { field: 'topic' });
  }
}

/** Like `assertTopic`, also accepting `'*'`. */
export function assertTopicFilter(filter: unknown): asserts filter is TopicFilter {
  if (filter !== '*') assertTopic(filter);
}

// NATS consumer names may not contain '.', '*', '>' or whitespace; keep both adapters equally strict.
const DURABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws `InputError` when the subscribe options are malformed. */
export function assertSubscribeOptions(options: SubscribeOptions): void {
  if (options.durable !== undefined && !DURABLE_NAME.test(options.durable)) {
    throw new InputError('A durable name is 1-64 letters, digits, "-" or "_".', { field: 'durable' });
  }
  if (options.after !== undefined) {
    if (!Number.isSafeInteger(options.after) || options.after < 0) throw new InputError('after: a position is a whole number ≥ 0.', { field: 'after' });
    if (options.durable !== undefined || options.fromStart === true) throw new InputError('after cannot be combined with durable or fromStart.', { field: 'after' });
  }
}
