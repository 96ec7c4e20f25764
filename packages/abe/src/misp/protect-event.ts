import { randomUUID } from 'node:crypto';
import { InputError, NotFoundError } from '@waggle/errors';
import { parsePolicy } from '../policy/parse-policy.js';
import { printPolicy } from '../policy/print-policy.js';
import { blindToken } from './blind-token.js';
import { addTag, attributesOf, copyEvent, ensureUuid, objectsOf, valueOf, type Json } from './event-json.js';
import type { Sealer } from './ports.js';
import { PROTECTED_TAG, formatProtectedValue, isProtectedValue } from './protected-value.js';

/** What to protect and how. */
export interface ProtectOptions {
  /** The access policy, e.g. `(sector:energy AND country:BE) OR role:CERT`. */
  readonly policy: string;
  readonly sealer: Sealer;
  /** Only these attributes (UUIDs); with `objects` too, the union. Neither: the whole event. */
  readonly attributes?: readonly string[] | undefined;
  /** Only the attributes of these objects (UUIDs). */
  readonly objects?: readonly string[] | undefined;
  /** Also encrypt the event info, leaving the protected form in its place. */
  readonly protectInfo?: boolean | undefined;
  /** With a community key, each protected value gets a blind correlation token. */
  readonly communityKey?: Uint8Array | undefined;
  /** UUIDs for elements that have none (default: random). */
  readonly uuid?: (() => string) | undefined;
}

/** The protected event (same wrapping as the input) and what was protected. */
export interface ProtectResult {
  readonly event: Json;
  readonly protectedAttributes: number;
  readonly protectedInfo: boolean;
}

const encoder = new TextEncoder();

/**
 * Protects a MISP event for a policy, client side: every selected attribute value
 * (event and object attributes) becomes an envelope bound to the event UUID and its
 * attribute UUID; type, category, UUID, to_ids and distribution stay as they are and the
 * attribute gets the `waggle:protected` tag. Values already protected are left alone.
 * The input is not modified. Seals run concurrently (useful with the worker pool).
 */
export async function protectEvent(input: unknown, options: ProtectOptions): Promise<ProtectResult> {
  const policy = printPolicy(parsePolicy(options.policy));
  const { event, wrapped } = copyEvent(input);
  const uuid = options.uuid ?? randomUUID;
  const eventUuid = ensureUuid(event, 'Event', uuid);
  const wantAttrs = new Set((options.attributes ?? []).map((u) => u.toLowerCase()));
  const wantObjects = new Set((options.objects ?? []).map((u) => u.toLowerCase()));
  const everything = wantAttrs.size === 0 && wantObjects.size === 0;

  const selected: { attribute: Json; field: string; uuid: string }[] = [];
  const seenAttrs = new Set<string>();
  const seenObjects = new Set<string>();
  const consider = (list: Json[], field: string, inObject: boolean): void => {
    for (const [i, attribute] of list.entries()) {
      const f = `${field}.Attribute[${i}]`;
      const attributeUuid = ensureUuid(attribute, f, uuid);
      seenAttrs.add(attributeUuid);
      if (everything || inObject || wantAttrs.has(attributeUuid)) selected.push({ attribute, field: f, uuid: attributeUuid });
    }
  };
  consider(attributesOf(event, 'Event'), 'Event', false);
  for (const [i, object] of objectsOf(event).entries()) {
    const objectUuid = ensureUuid(object, `Event.Object[${i}]`, uuid);
    seenObjects.add(objectUuid);
    consider(attributesOf(object, `Event.Object[${i}]`), `Event.Object[${i}]`, everything || wantObjects.has(objectUuid));
  }
  for (const u of wantAttrs) if (!seenAttrs.has(u)) throw new NotFoundError(`attribute ${u} is not in event ${eventUuid}`);
  for (const u of wantObjects) if (!seenObjects.has(u)) throw new NotFoundError(`object ${u} is not in event ${eventUuid}`);

  const work = selected
    .map((s) => ({ ...s, value: valueOf(s.attribute, s.field) }))
    .filter((s) => !isProtectedValue(s.value));
  const envelopes = await Promise.all(work.map((s) => options.sealer({ policy, plaintext: encoder.encode(s.value), eventUuid, attributeUuid: s.uuid })));
  for (const [i, s] of work.entries()) {
    const token = options.communityKey === undefined ? null : blindToken(options.communityKey, String(s.attribute.type ?? ''), s.value);
    s.attribute.value = formatProtectedValue(envelopes[i]!, token);
    addTag(s.attribute, PROTECTED_TAG);
  }

  let protectedInfo = false;
  if (options.protectInfo === true) {
    const info = event.info ?? '';
    if (typeof info !== 'string') throw new InputError('Event.info: expected a string', { field: 'Event.info' });
    if (!isProtectedValue(info)) {
      event.info = formatProtectedValue(await options.sealer({ policy, plaintext: encoder.encode(info), eventUuid, attributeUuid: null }));
      protectedInfo = true;
    }
  }
  return { event: wrapped ? { Event: event } : event, protectedAttributes: work.length, protectedInfo };
}
