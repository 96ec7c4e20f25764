import { NotFoundError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { MispAttributePayload, MispObjectPayload } from './misp-payload.js';
import type { SpooledBatch } from './spool.js';

type Json = Record<string, unknown>;

interface ExistingEvent {
  id: string;
  attributes: Set<string>;
  objects: Set<string>;
  tags: Set<string>;
}

function existingOf(json: unknown): ExistingEvent {
  const e = ((json as Json | undefined)?.Event ?? {}) as Json;
  const attrs = (e.Attribute ?? []) as Json[];
  const objects = (e.Object ?? []) as Json[];
  return {
    id: String(e.id),
    attributes: new Set(attrs.map((a) => String(a.uuid))),
    objects: new Set(objects.map((o) => String(o.uuid))),
    tags: new Set(((e.Tag ?? []) as Json[]).map((t) => String(t.name))),
  };
}

async function viewEvent(client: MispClient, uuid: string): Promise<ExistingEvent | undefined> {
  try {
    return existingOf(await client.request('GET', `/events/view/${uuid}`));
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** Creates the event, or adds to the existing one only what it lacks (by UUID), so a resend is a no-op. */
async function upsertEvent(client: MispClient, batch: SpooledBatch): Promise<string> {
  const ev = batch.event;
  const existing = await viewEvent(client, ev.uuid);
  if (existing === undefined) {
    const added = existingOf(await client.request('POST', '/events/add', { Event: ev }));
    return added.id;
  }
  const id = existing.id;
  for (const a of ev.Attribute.filter((x: MispAttributePayload) => !existing.attributes.has(x.uuid))) await client.request('POST', `/attributes/add/${id}`, a);
  for (const o of ev.Object.filter((x: MispObjectPayload) => !existing.objects.has(x.uuid))) await client.request('POST', `/objects/add/${id}`, { Object: o });
  for (const t of ev.Tag.filter((x) => !existing.tags.has(x.name))) await client.request('POST', '/tags/attach_tag_to_object', { uuid: ev.uuid, tag: t.name });
  return id;
}

/** Attributes with `value` that belong to other events than ours (the indicators someone shared). */
async function othersIndicators(client: MispClient, value: string, ownId: string, ownUuid: string): Promise<string[]> {
  const json = (await client.request('POST', '/attributes/restSearch', { value, limit: 50 })) as Json | undefined;
  const list = ((json?.response as Json | undefined)?.Attribute ?? []) as Json[];
  return list
    .filter((a) => String(a.value) === value && String(a.event_id) !== ownId && String((a.Event as Json | undefined)?.uuid ?? '') !== ownUuid)
    .map((a) => String(a.uuid));
}

/**
 * Sends one spooled batch: the event first (add, or additions to the existing
 * event), then a sighting on every pre-existing attribute with one of the
 * batch's indicator values. `progress` is called after each acknowledged step
 * so the spool file records it and a retry resumes instead of repeating.
 */
export async function sendBatch(client: MispClient, batch: SpooledBatch, progress: (b: SpooledBatch) => void): Promise<void> {
  let eventId: string;
  if (!batch.eventDone) {
    eventId = await upsertEvent(client, batch);
    batch.eventDone = true;
    progress(batch);
  } else {
    eventId = (await viewEvent(client, batch.event.uuid))?.id ?? '';
  }
  const timestamp = Math.floor(Date.parse(batch.seen) / 1000);
  for (const ind of batch.indicators) {
    if (batch.sightingsDone.includes(ind.value)) continue;
    for (const uuid of await othersIndicators(client, ind.value, eventId, batch.event.uuid)) {
      const key = `${ind.value}\u0000${uuid}`;
      if (batch.sightingsDone.includes(key)) continue;
      await client.request('POST', '/sightings/add', { uuid, source: batch.sensor, timestamp, type: '0' });
      batch.sightingsDone.push(key);
      progress(batch);
    }
    batch.sightingsDone.push(ind.value);
    progress(batch);
  }
}
