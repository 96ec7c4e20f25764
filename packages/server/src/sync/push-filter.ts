import type { Kysely } from 'kysely';
import { InputError } from '@waggle/errors';
import type { Blocklists, Database } from '@waggle/store';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One push candidate as MISP sends it: `{"Event": {"uuid", "timestamp", …}}` (or the bare event). */
function candidate(item: unknown, i: number): { uuid: string; timestamp: number } {
  const ev = isObj(item) && isObj(item.Event) ? item.Event : item;
  if (!isObj(ev)) throw new InputError(`Entry ${String(i)} is not an event`, { field: `${String(i)}.Event` });
  const uuid = String(ev.uuid ?? '').trim().toLowerCase();
  if (!UUID.test(uuid)) throw new InputError(`Entry ${String(i)} has no valid Event.uuid`, { field: `${String(i)}.Event.uuid` });
  const timestamp = Number(ev.timestamp ?? 0);
  if (!Number.isFinite(timestamp)) throw new InputError(`Entry ${String(i)} has an invalid Event.timestamp`, { field: `${String(i)}.Event.timestamp` });
  return { uuid, timestamp };
}

/**
 * MISP's `events/filterEventIdsForPush`: of the events a pushing instance
 * offers (uuid and timestamp), the UUIDs it should send. Left out: events
 * whose copy here is as new or newer, events created here that the pushing
 * organisation cannot overwrite (neither locked as synced nor its own), and
 * blocklisted events. The answer is a JSON list of UUIDs.
 */
export async function filterEventUuidsForPush(db: Kysely<Database>, blocklists: Blocklists, pusherOrgId: number, body: unknown): Promise<string[]> {
  if (!Array.isArray(body)) throw new InputError('Expected a list of {"Event": {"uuid", "timestamp"}} entries');
  const offered = new Map<string, number>();
  body.forEach((item, i) => {
    const c = candidate(item, i);
    offered.set(c.uuid, Math.max(c.timestamp, offered.get(c.uuid) ?? 0));
  });
  const uuids = [...offered.keys()];
  for (let i = 0; i < uuids.length; i += 500) {
    const rows = await db.selectFrom('events').select(['uuid', 'timestamp', 'locked', 'org_id']).where('uuid', 'in', uuids.slice(i, i + 500)).execute();
    for (const r of rows) {
      const theirs = offered.get(r.uuid) ?? 0;
      const locked = r.locked === true || Number(r.locked) === 1;
      if (Number(r.timestamp) >= theirs || (!locked && Number(r.org_id) !== pusherOrgId)) offered.delete(r.uuid);
    }
  }
  const out: string[] = [];
  for (const uuid of offered.keys()) if (!(await blocklists.isBlocked(uuid, undefined))) out.push(uuid);
  return out;
}
