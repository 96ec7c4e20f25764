import type { Kysely } from 'kysely';
import type { EventService, Principal, SharingGroupService, SightingService } from '@waggle/core';
import type { Database } from '@waggle/store';
import type { MispEventJson, RemoteSighting, SightingLocalSide } from '@waggle/sync';
import { embedSharingGroups } from './sharing-group-blocks.js';

/** What the sighting channel's local side works with. */
export interface SightingSideDeps {
  readonly db: Kysely<Database>;
  readonly events: EventService;
  readonly sharingGroups: SharingGroupService;
  readonly sightings: SightingService;
  /** The local user a sync acts as (a site admin). */
  readonly actor: Principal;
}

const CHUNK = 500;

/**
 * The sighting channel's port over this instance: pulled sightings are saved
 * through the core's bulk save (access rules, audit and the event stream
 * apply), push candidates come from the events' `sighting_timestamp`, and
 * what is pushed follows MISP's sighting policy for the remote organisation.
 */
export function createSightingSide(deps: SightingSideDeps): SightingLocalSide {
  const { db, actor } = deps;
  // Sightings keep the organisation the remote names: the core does that for sync users.
  const syncActor: Principal = { ...actor, role: { ...actor.role, perm_sync: true, perm_site_admin: false } };

  return {
    async eventTimestamps(uuids) {
      const out = new Map<string, number>();
      for (let i = 0; i < uuids.length; i += CHUNK) {
        const part = uuids.slice(i, i + CHUNK).map((u) => u.toLowerCase());
        for (const r of await db.selectFrom('events').select(['uuid', 'timestamp']).where('uuid', 'in', part).execute()) out.set(r.uuid, Number(r.timestamp));
      }
      return out;
    },

    saveSightings: (_server, eventUuid, sightings) => deps.sightings.bulkSave(syncActor, eventUuid, sightings),

    async sightingEventsForPush(_server, after, limit) {
      let q = db.selectFrom('events').select(['id', 'uuid', 'sighting_timestamp']).where('sighting_timestamp', '>', 0);
      if (after !== undefined) {
        q = q.where((eb) => eb.or([eb('sighting_timestamp', '>', after.timestamp), eb.and([eb('sighting_timestamp', '=', after.timestamp), eb('uuid', '>', after.uuid)])]));
      }
      const rows = await q.orderBy('sighting_timestamp').orderBy('uuid').limit(limit).execute();
      const out = [];
      for (const r of rows) {
        const head = await deps.events.view(actor, Number(r.id), { metadata: true });
        out.push({ uuid: r.uuid, sightingTimestamp: Number(r.sighting_timestamp), event: (await embedSharingGroups(deps.sharingGroups, actor, head)) as MispEventJson });
      }
      return out;
    },

    async sightingsForPush(server, eventUuid) {
      if (server.remoteOrgUuid === undefined) return [];
      const remoteOrg = await db.selectFrom('organisations').select(['id']).where('uuid', '=', server.remoteOrgUuid).executeTakeFirst();
      const event = await db.selectFrom('events').select(['id', 'uuid', 'org_id']).where('uuid', '=', eventUuid.toLowerCase()).executeTakeFirst();
      if (remoteOrg === undefined || event === undefined) return [];
      let q = db
        .selectFrom('sightings as s')
        .innerJoin('attributes as a', 'a.id', 's.attribute_id')
        .leftJoin('organisations as o', 'o.id', 's.org_id')
        .select(['s.uuid', 's.date_sighting', 's.type', 's.source', 'a.uuid as attribute_uuid', 'o.uuid as org_uuid', 'o.name as org_name'])
        .where('s.event_id', '=', event.id);
      // MISP pushes what its "fake sync user" of the remote organisation may see: all sightings of the events it owns, else its own.
      if (Number(event.org_id) !== Number(remoteOrg.id)) q = q.where('s.org_id', '=', remoteOrg.id);
      const rows = await q.orderBy('s.id').execute();
      return rows.map((r): RemoteSighting => ({
        uuid: r.uuid, attributeUuid: r.attribute_uuid, eventUuid: event.uuid, dateSighting: Number(r.date_sighting),
        type: (Number(r.type) === 1 || Number(r.type) === 2 ? Number(r.type) : 0) as 0 | 1 | 2, source: r.source,
        ...(r.org_uuid !== null && r.org_name !== null ? { organisation: { uuid: r.org_uuid, name: r.org_name } } : {}),
      }));
    },
  };
}
