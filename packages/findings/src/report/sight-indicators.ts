import type { MispClient } from '@waggle/client';

type Json = Record<string, unknown>;

// The attribute types that hold an address as an indicator.
const IP_TYPES = new Set(['ip-src', 'ip-dst']);

/**
 * UUIDs of the ip-src/ip-dst attributes holding `ip` exactly, outside the
 * events in `ownEventIds` (the findings' own objects are not indicators to
 * sight).
 */
export async function existingIndicators(client: MispClient, ip: string, ownEventIds: ReadonlySet<string>): Promise<string[]> {
  const json = (await client.request('POST', '/attributes/restSearch', { value: ip, type: [...IP_TYPES], limit: 100 })) as Json | undefined;
  const list = ((json?.response as Json | undefined)?.Attribute ?? []) as Json[];
  return list
    .filter((a) => String(a.value) === ip && IP_TYPES.has(String(a.type)) && !ownEventIds.has(String(a.event_id)))
    .map((a) => String(a.uuid));
}

/** Adds one sighting (type 0, "seen") to an attribute. */
export async function addSighting(client: MispClient, attributeUuid: string, source: string, at: string): Promise<void> {
  await client.request('POST', '/sightings/add', { uuid: attributeUuid, source, timestamp: Math.floor(Date.parse(at) / 1000), type: '0' });
}
