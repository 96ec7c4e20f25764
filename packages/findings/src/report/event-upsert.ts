import { NotFoundError } from '@waggle/errors';
import type { MispClient } from '@waggle/client';
import type { MispObjectJson } from '../object/misp-object-json.js';

type Json = Record<string, unknown>;

/** An event as this reporter creates it. */
export interface FindingEventPayload {
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly distribution: string;
  readonly threat_level_id: string;
  readonly analysis: string;
  readonly Tag: readonly { name: string }[];
}

/** What {@link upsertFindingEvent} did. */
export interface UpsertResult {
  readonly eventId: string;
  readonly created: boolean;
  /** UUIDs of the objects this call added (the others were already there). */
  readonly added: readonly string[];
}

// Objects sent inside `events/add`; the rest go one by one through `objects/add`.
const OBJECTS_IN_ADD = 500;

async function view(client: MispClient, uuid: string): Promise<{ id: string; objects: Set<string> } | undefined> {
  let json: unknown;
  try {
    json = await client.request('GET', `/events/view/${uuid}`);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
  const ev = ((json as Json | undefined)?.Event ?? {}) as Json;
  return { id: String(ev.id), objects: new Set(((ev.Object ?? []) as Json[]).map((o) => String(o.uuid))) };
}

/**
 * Creates the event with its objects, or adds to the existing event (same
 * UUID) only the objects it lacks, so sending the same findings twice
 * changes nothing the second time.
 */
export async function upsertFindingEvent(client: MispClient, event: FindingEventPayload, objects: readonly (MispObjectJson & { uuid: string })[]): Promise<UpsertResult> {
  const existing = await view(client, event.uuid);
  if (existing === undefined) {
    const first = objects.slice(0, OBJECTS_IN_ADD);
    const added = (await client.request('POST', '/events/add', { Event: { ...event, Object: first } })) as Json | undefined;
    const id = String(((added?.Event ?? {}) as Json).id);
    for (const o of objects.slice(OBJECTS_IN_ADD)) await client.request('POST', `/objects/add/${id}`, { Object: o });
    return { eventId: id, created: true, added: objects.map((o) => o.uuid) };
  }
  const missing = objects.filter((o) => !existing.objects.has(o.uuid));
  for (const o of missing) await client.request('POST', `/objects/add/${existing.id}`, { Object: o });
  return { eventId: existing.id, created: false, added: missing.map((o) => o.uuid) };
}
