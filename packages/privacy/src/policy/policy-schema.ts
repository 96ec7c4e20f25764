import { z } from 'zod';

/** Units `generalise-time` can round down to. */
export const TIME_UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;

/**
 * What a rule can apply to. `value` is an attribute's value (each half of a
 * composite value separately); `comment`, `first_seen`, `last_seen` belong to
 * attributes (and `comment` to objects); the `event.*` fields are the event's
 * own: its `info`, `date`, creator (`Orgc`) and owner (`Org`) organisations and
 * `event_creator_email`.
 */
export const POLICY_FIELDS = ['value', 'comment', 'first_seen', 'last_seen', 'event.info', 'event.date', 'event.orgc', 'event.org', 'event.creator_email'] as const;

/** One of {@link POLICY_FIELDS}. */
export type PolicyField = (typeof POLICY_FIELDS)[number];

const keyName = z.string().min(1, 'must name a key declared under `keys`');
const stringList = z.array(z.string().min(1)).min(1, 'must list at least one value');

const technique = <T extends string, S extends z.ZodRawShape>(name: T, shape: S) => z.strictObject({ technique: z.literal(name), ...shape });

const actionObject = z.discriminatedUnion('technique', [
  technique('keep', {}),
  technique('suppress', {}),
  technique('replace', { value: z.string(), uuid: z.uuid().optional() }),
  technique('cryptopan', { key: keyName }),
  technique('truncate', {
    prefix: z.number().int().min(0).max(32).optional(),
    prefix6: z.number().int().min(0).max(128).optional(),
    cidr: z.boolean().optional(),
  }),
  technique('hmac', { key: keyName, length: z.number().int().min(16).max(64).optional(), prefix: z.string().max(32).optional() }),
  technique('ff1', {
    key: keyName,
    radix: z.number().int().min(2).max(36),
    tweak: z.string().max(64).optional(),
    alphabet: z.string().min(2).max(36).optional(),
  }),
  technique('generalise-time', { unit: z.enum(TIME_UNITS) }),
  technique('shift-time', { key: keyName, max_days: z.number().int().min(1).max(3650) }),
  technique('url-to-domain', {}),
  technique('email-to-domain', {}),
  technique('port-range', { width: z.number().int().min(2).max(65536) }),
  technique('port-class', {}),
  technique('enumerate', { prefix: z.string().min(1).max(32) }),
]);

/**
 * A rule's action: `{technique: …, …parameters}`, or just the technique's
 * name for techniques without parameters (`keep`, `suppress`, `url-to-domain`).
 */
export const actionSchema = z.preprocess((input) => (typeof input === 'string' ? { technique: input } : input), actionObject);

/** The action of a rule (or a recipient's default), after validation. */
export type Action = z.infer<typeof actionObject>;

/** The name of an anonymisation technique. */
export type TechniqueName = Action['technique'];

const valueMatch = z.strictObject({
  internal_ip: z.boolean().optional(),
  ip_version: z.union([z.literal(4), z.literal(6)]).optional(),
  cidr: stringList.optional(),
  regex: z.string().min(1).optional(),
});

const ruleMatch = z.strictObject({
  field: z.array(z.enum(POLICY_FIELDS)).min(1).optional(),
  type: stringList.optional(),
  category: stringList.optional(),
  object: z.union([z.literal(false), z.strictObject({ name: stringList.optional(), relation: stringList.optional() })]).optional(),
  tag: stringList.optional(),
  event_tag: stringList.optional(),
  distribution: z.array(z.number().int().min(0).max(5)).min(1).optional(),
  to_ids: z.boolean().optional(),
  value: valueMatch.optional(),
});

/** What a rule looks at; every criterion given must hold. */
export type RuleMatch = z.infer<typeof ruleMatch>;

const rule = z.strictObject({
  name: z.string().min(1).optional(),
  match: ruleMatch,
  action: actionSchema,
});

/** One rule of a recipient: the first rule whose `match` holds decides. */
export type Rule = z.infer<typeof rule>;

const recipientMatch = z.strictObject({
  organisation: stringList.optional(),
  sharing_group: stringList.optional(),
  server: stringList.optional(),
  feed: stringList.optional(),
  stream: stringList.optional(),
  stix: stringList.optional(),
  taxii: stringList.optional(),
});

/** Which destinations a recipient section is for (names or UUIDs, `*` for any). */
export type RecipientMatch = z.infer<typeof recipientMatch>;

const keepSection = z.strictObject({
  related_events: z.boolean().optional(),
  sightings: z.boolean().optional(),
  shadow_attributes: z.boolean().optional(),
  feeds: z.boolean().optional(),
  event_reports: z.boolean().optional(),
  local_tags: z.boolean().optional(),
});

/** Parts of an event that name organisations or hold free text, dropped unless kept here. */
export type KeepSection = z.infer<typeof keepSection>;

const recipient = z.strictObject({
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, `.`, `_` or `-`'),
  description: z.string().optional(),
  match: recipientMatch.optional(),
  default: actionSchema,
  rules: z.array(rule).default([]),
  drop_tags: stringList.optional(),
  keep: keepSection.optional(),
});

/** The section of a policy for one recipient (or a group of recipients). */
export type Recipient = z.infer<typeof recipient>;

/** The whole policy document. */
export const policySchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, `.`, `_` or `-`'),
  description: z.string().optional(),
  keys: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/, 'key aliases are letters, digits, `.`, `_` or `-`'), z.string().min(1)).default({}),
  recipients: z.array(recipient).min(1, 'a policy needs at least one recipient'),
});

/** A validated anonymisation policy (see the README's "Policies" section). */
export type Policy = z.infer<typeof policySchema>;
