import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import type { BusMessage } from './bus.js';
import { decodePayload } from './codec.js';
import { isTopic, type Topic, type TopicFilter } from './topics.js';

/** Header JetStream reads to drop a message published twice (set through the `msgID` option). */
export const MSG_ID_HEADER = 'Nats-Msg-Id';
/** Header carrying `BusMessage.publishedAt` in milliseconds. */
export const PUBLISHED_AT_HEADER = 'Waggle-Published-At';

/** NATS subject of `topic`: one token below the prefix. */
export function subjectFor(prefix: string, topic: TopicFilter): string {
  return topic === '*' ? `${prefix}.>` : `${prefix}.${topic}`;
}

/** Headers stored with a published message besides the message id. */
export function publishHeaders(publishedAt: number): MsgHdrs {
  const h = headers();
  h.set(PUBLISHED_AT_HEADER, String(publishedAt));
  return h;
}

function topicOf(prefix: string, subject: string): Topic {
  const topic = subject.startsWith(`${prefix}.`) ? subject.slice(prefix.length + 1) : undefined;
  if (!isTopic(topic)) throw new Error(`Message on subject "${subject}" is not a bus topic.`);
  return topic;
}

/**
 * Rebuilds the `BusMessage` from a stored JetStream message. Messages written by other
 * publishers may lack waggle's headers; they get the stream sequence as id and the
 * server's timestamp. Throws when the subject or the body cannot be understood.
 */
export function toBusMessage(prefix: string, m: JsMsg): BusMessage {
  const topic = topicOf(prefix, m.subject);
  const id = m.headers?.get(MSG_ID_HEADER) ?? '';
  const stamped = Number(m.headers?.get(PUBLISHED_AT_HEADER) ?? '');
  return {
    topic,
    payload: decodePayload(m.data),
    id: id === '' ? `${m.info.stream}:${String(m.seq)}` : id,
    publishedAt: Number.isFinite(stamped) && stamped > 0 ? stamped : m.time.getTime(),
    position: m.seq,
  };
}
