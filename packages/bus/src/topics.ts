/**
 * The topic names MISP publishes on its ZeroMQ feed (`app/files/scripts/mispzmq/mispzmq.py`
 * and `PubSubTool`), so that consumers written for MISP's feed recognise waggle's.
 * `misp_json` carries a whole published event; `misp_json_self` is the feed's own
 * keep-alive/status message.
 */
export const MISP_TOPICS = [
  'misp_json',
  'misp_json_event',
  'misp_json_attribute',
  'misp_json_object',
  'misp_json_object_reference',
  'misp_json_sighting',
  'misp_json_tag',
  'misp_json_organisation',
  'misp_json_user',
  'misp_json_audit',
  'misp_json_conversation',
  'misp_json_warninglist',
  'misp_json_workflow',
  'misp_json_self',
] as const;

/** One of MISP's ZeroMQ topic names. */
export type MispTopic = (typeof MISP_TOPICS)[number];

/** Topics waggle adds on top of MISP's; always prefixed `waggle_`. */
export type WaggleTopic = `waggle_${string}`;

/** A topic a message can be published on. */
export type Topic = MispTopic | WaggleTopic;

/** What a subscription listens to: one topic, or `'*'` for every topic. */
export type TopicFilter = Topic | '*';

const mispTopics: ReadonlySet<string> = new Set(MISP_TOPICS);

// Topics become one NATS subject token, so they must not hold dots, wildcards or spaces.
const WAGGLE_TOPIC = /^waggle_[a-z0-9_]+$/;

/** True when `value` is a MISP topic or a well-formed `waggle_` topic (lower case, digits, `_`). */
export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (mispTopics.has(value) || WAGGLE_TOPIC.test(value));
}
