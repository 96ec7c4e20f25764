import { createHash } from 'node:crypto';
import type { PolicyField } from './policy-schema.js';
import { isJsonObject, text, type JsonObject } from './misp-event-json.js';
import { treat, type RunContext } from './run-context.js';

/** What `info` becomes when a rule suppresses it: MISP requires some text. */
export const WITHHELD_INFO = 'Details withheld by the reporting organisation';

/** A name-based UUID (RFC 9562 version 8 layout over SHA-256), stable for the same input. */
export function derivedUuid(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function organisation(ctx: RunContext, event: JsonObject, key: 'Orgc' | 'Org', field: PolicyField): void {
  const org = event[key];
  if (!isJsonObject(org)) return;
  const idKey = key === 'Orgc' ? 'orgc_id' : 'org_id';
  const r = treat(ctx, { field, tags: [], eventTags: ctx.eventTags, value: text(org.name) }, { scope: 'event' });
  if (r.kind === 'keep') return;
  if (r.kind === 'transform') {
    const uuid = r.action.technique === 'replace' && r.action.uuid !== undefined ? r.action.uuid : derivedUuid('waggle-organisation', r.value);
    // Only name and UUID: the local id and flags would tell the original apart.
    event[key] = { name: r.value, uuid };
  } else {
    delete event[key];
  }
  delete event[idKey];
}

/**
 * Applies the rules to the event's own fields: `info` (suppressed → a
 * neutral text), `date` (suppressed → removed), the creator and owner
 * organisations (replaced by name and a UUID derived from the new name, or
 * removed), and `event_creator_email`.
 */
export function processEventFields(ctx: RunContext, event: JsonObject): void {
  const info = text(event.info);
  const r = treat(ctx, { field: 'event.info', tags: [], eventTags: ctx.eventTags, value: info }, { scope: 'event' });
  if (r.kind === 'transform') event.info = r.value;
  else if (r.kind !== 'keep') event.info = WITHHELD_INFO;
  const date = text(event.date);
  if (date !== '') {
    const d = treat(ctx, { field: 'event.date', tags: [], eventTags: ctx.eventTags, value: date }, { scope: 'event' });
    if (d.kind === 'transform') event.date = d.value;
    else if (d.kind !== 'keep') delete event.date;
  }
  organisation(ctx, event, 'Orgc', 'event.orgc');
  organisation(ctx, event, 'Org', 'event.org');
  if ('event_creator_email' in event) {
    const email = text(event.event_creator_email);
    const e = email === '' ? undefined : treat(ctx, { field: 'event.creator_email', tags: [], eventTags: ctx.eventTags, value: email }, { scope: 'event' });
    if (e?.kind === 'transform') event.event_creator_email = e.value;
    else if (e?.kind !== 'keep') delete event.event_creator_email;
  }
}
