import { ENRICHMENT_MARK, type EnrichAttribute, type Enrichment, type NewAttribute, type NewObject } from '../module.js';
import type { ServerAttribute, ServerEvent } from '../correlation/event-api.js';

/** An attribute of the event that enrichment may look at. */
export interface EventAttribute extends EnrichAttribute {
  readonly uuid: string;
  readonly tags: readonly string[];
}

/** What to write to the event so that it holds an enrichment; empty when it already does. */
export interface PlannedAdditions {
  readonly attributes: NewAttribute[];
  readonly objects: NewObject[];
  readonly tags: { readonly uuid: string; readonly tag: string }[];
}

const isMarked = (comment: string | undefined | null): boolean => comment?.startsWith(ENRICHMENT_MARK) === true;
const attributeKey = (type: string, value: string): string => `${type}\u0000${value}`;
const objectKey = (name: string, comment: string | undefined, attributes: readonly { readonly type: string; readonly value: string }[]): string =>
  // waggle's objects carry a comment naming what they enrich, which identifies them even when the server rewrote a value (datetime formats).
  isMarked(comment) ? `${name}\u0000${comment ?? ''}` : `${name}\u0000${attributes.map((a) => attributeKey(a.type, a.value)).sort().join('\u0001')}`;

/**
 * The attributes of an event enrichment should look at: every attribute,
 * standalone or in an object, except those waggle-enrich wrote itself
 * (marked by their comment or their object's), so it never enriches its own
 * output.
 */
export function attributesToEnrich(event: ServerEvent): EventAttribute[] {
  const of = (a: ServerAttribute): EventAttribute => ({
    uuid: a.uuid,
    type: a.type,
    value: a.value,
    ...(a.object_relation === undefined || a.object_relation === null ? {} : { object_relation: a.object_relation }),
    tags: (a.Tag ?? []).map((t) => t.name),
  });
  const out: EventAttribute[] = [];
  for (const a of event.Attribute ?? []) if (!isMarked(a.comment)) out.push(of(a));
  for (const o of event.Object ?? []) {
    if (isMarked(o.comment)) continue;
    for (const a of o.Attribute ?? []) if (!isMarked(a.comment)) out.push(of(a));
  }
  return out;
}

/**
 * What is missing from the event: new attributes whose type and value the
 * event does not hold yet, objects it does not hold yet, and tags the
 * attribute does not carry. Running it on an event that already holds
 * everything gives nothing, which makes enrichment idempotent.
 */
export function planAdditions(event: ServerEvent, found: readonly { readonly attribute: EventAttribute; readonly enrichment: Enrichment }[]): PlannedAdditions {
  const haveAttributes = new Set<string>();
  const haveObjects = new Set<string>();
  for (const a of event.Attribute ?? []) haveAttributes.add(attributeKey(a.type, a.value));
  for (const o of event.Object ?? []) {
    for (const a of o.Attribute ?? []) haveAttributes.add(attributeKey(a.type, a.value));
    haveObjects.add(objectKey(o.name, o.comment, o.Attribute ?? []));
  }
  const plan: PlannedAdditions = { attributes: [], objects: [], tags: [] };
  for (const { attribute, enrichment } of found) {
    const tagged = new Set(attribute.tags.map((t) => t.toLowerCase()));
    for (const tag of enrichment.tags) {
      if (tagged.has(tag.toLowerCase())) continue;
      tagged.add(tag.toLowerCase());
      plan.tags.push({ uuid: attribute.uuid, tag });
    }
    for (const a of enrichment.attributes) {
      const key = attributeKey(a.type, a.value);
      if (haveAttributes.has(key)) continue;
      haveAttributes.add(key);
      plan.attributes.push(a);
    }
    for (const o of enrichment.objects) {
      const key = objectKey(o.name, o.comment, o.Attribute);
      if (haveObjects.has(key)) continue;
      haveObjects.add(key);
      plan.objects.push(o);
    }
  }
  return plan;
}
