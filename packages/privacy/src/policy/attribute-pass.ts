import { splitCompositeValue } from '@waggle/misp';
import { canStandAlone, halfTypes } from './composite-halves.js';
import { attributeValue, flag, tagNames, text, type JsonObject } from './misp-event-json.js';
import { treat, type Place, type RunContext } from './run-context.js';
import type { Subject } from './subject.js';

/** What became of one attribute: its new JSON, or nothing when suppressed. */
export interface AttributeResult {
  readonly attribute: JsonObject | undefined;
  readonly fate: 'kept' | 'transformed' | 'suppressed';
}

type Base = Omit<Subject, 'field' | 'value' | 'type'>;

function setValue(out: JsonObject, original: JsonObject, type: string, value1: string, value2: string): void {
  out.type = type;
  out.value = value2 === '' ? value1 : `${value1}|${value2}`;
  // value1/value2 are only rewritten when the input had them, so the
  // output keeps the shape the caller sent.
  if ('value1' in original) out.value1 = value1;
  if ('value2' in original) out.value2 = value2;
}

function otherFields(ctx: RunContext, out: JsonObject, base: Base, place: Place): void {
  const comment = text(out.comment);
  if (comment !== '') {
    const r = treat(ctx, { ...base, type: place.type ?? '', field: 'comment', value: comment }, place);
    if (r.kind === 'transform') out.comment = r.value;
    else if (r.kind !== 'keep') out.comment = '';
  }
  for (const field of ['first_seen', 'last_seen'] as const) {
    const seen = text(out[field]);
    if (seen === '') continue;
    const r = treat(ctx, { ...base, type: place.type ?? '', field, value: seen }, place);
    if (r.kind === 'transform') out[field] = r.value;
    else if (r.kind !== 'keep') out[field] = null;
  }
}

/**
 * Applies the recipient's rules to one attribute: its value (each half of a
 * composite value by the half's type), then its comment and first/last seen.
 * When one half of a composite is suppressed, a loose attribute becomes an
 * attribute of the surviving half's type (`filename|sha256` → `sha256`);
 * otherwise the whole attribute is suppressed. Changing a malware sample's
 * file name drops its `data`, whose zip still holds the original name.
 */
export function processAttribute(ctx: RunContext, attribute: JsonObject, object?: { readonly name: string }): AttributeResult {
  const type = text(attribute.type);
  const relation = text(attribute.object_relation);
  const uuid = text(attribute.uuid);
  // One literal, no conditional spreads: this runs for every attribute.
  const base: Base = {
    category: text(attribute.category),
    object: object === undefined ? undefined : { name: object.name, relation: relation === '' ? undefined : relation },
    tags: tagNames(attribute.Tag),
    eventTags: ctx.eventTags,
    distribution: attribute.distribution === undefined ? undefined : Number(attribute.distribution),
    toIds: flag(attribute.to_ids),
  };
  const place: Place = { scope: 'attribute', uuid, type, ...(relation === '' ? {} : { relation }) };
  const out: JsonObject = { ...attribute };
  const value = attributeValue(attribute);
  const halves = halfTypes(type);
  let fate: AttributeResult['fate'];
  if (halves === undefined) {
    const r = treat(ctx, { ...base, field: 'value', type, value }, place);
    if (r.kind === 'suppress' || r.kind === 'fail') return { attribute: undefined, fate: 'suppressed' };
    fate = r.kind === 'keep' ? 'kept' : 'transformed';
    if (r.kind === 'transform') setValue(out, attribute, object === undefined && r.type !== undefined ? r.type : type, r.value, '');
  } else {
    const parts = splitCompositeValue(type, value);
    const results = ([parts.value1, parts.value2] as const).map((half, i) =>
      treat(ctx, { ...base, field: 'value', type: halves[i] as string, compositeType: type, value: half }, { ...place, half: (i + 1) as 1 | 2 }),
    );
    const after = results.map((r, i) => (r.kind === 'keep' ? (i === 0 ? parts.value1 : parts.value2) : r.kind === 'transform' ? r.value : undefined));
    const changed = results.some((r) => r.kind !== 'keep');
    if (after[0] !== undefined && after[1] !== undefined) {
      setValue(out, attribute, type, after[0], after[1]);
      fate = changed ? 'transformed' : 'kept';
    } else {
      const survivor = after[0] !== undefined ? 0 : after[1] !== undefined ? 1 : -1;
      const survivorType = survivor === -1 ? undefined : halves[survivor];
      if (object !== undefined || survivorType === undefined || !canStandAlone(survivorType)) return { attribute: undefined, fate: 'suppressed' };
      setValue(out, attribute, survivorType, after[survivor] as string, '');
      fate = 'transformed';
    }
    if (type === 'malware-sample' && (changed || out.type !== type)) delete out.data;
  }
  otherFields(ctx, out, base, place);
  return { attribute: out, fate };
}
