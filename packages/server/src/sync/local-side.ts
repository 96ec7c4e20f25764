import type { Kysely } from 'kysely';
import { ConflictError, ForbiddenError } from '@waggle/errors';
import { contentDigest, parseEvent, type EventService, type MispJson, type Principal, type ShareRecord, type SharingGroupService } from '@waggle/core';
import type { Blocklists, Database } from '@waggle/store';
import type { LocalSide, MispEventJson, SyncCursor, SyncServer } from '@waggle/sync';
import { embedSharingGroups } from './sharing-group-blocks.js';

/** What the local side of a sync works with. */
export interface LocalSideDeps {
  readonly db: Kysely<Database>;
  readonly events: EventService;
  readonly sharingGroups: SharingGroupService;
  readonly blocklists: Blocklists;
  /** The local user a sync acts as (a site admin: it creates events on behalf of their creator organisations). */
  readonly actor: Principal;
  /** Turns `SharingGroup` blocks into local sharing groups (MISP's captureSG). */
  readonly capture: (p: Principal, event: Record<string, unknown>) => Promise<{ event: Record<string, unknown>; principal: Principal }>;
  /** Stores the sightings carried inside the event's attributes (after the event is saved). */
  readonly sightings: (p: Principal, event: Record<string, unknown>) => Promise<number>;
  /**
   * The event as `server` may receive it (outbound anonymisation), or undefined
   * when it must not leave for that server. Absent: events are pushed as stored.
   */
  readonly outbound?: (server: SyncServer, event: Record<string, unknown>) => Record<string, unknown> | undefined;
  /** Whether the event must not leave for `server` at all (a UMA producer's, ADR 0013). Absent: none withheld. */
  readonly withhold?: (server: SyncServer, event: Record<string, unknown>) => boolean;
  /** Writes a crossing (push or pull) into the provenance log (the hash-chained audit log). Absent: nothing recorded. */
  readonly record?: (p: Principal, r: ShareRecord) => Promise<void>;
}

type Json = Record<string, unknown>;

/** The other side of a sync, as the provenance log names it. */
function peerOf(server: SyncServer): ShareRecord['peer'] {
  const id = Number(server.id);
  return { ...(Number.isSafeInteger(id) ? { serverId: id } : {}), server: server.name, ...(server.remoteOrgUuid !== undefined ? { orgUuid: server.remoteOrgUuid } : {}) };
}
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const eventOf = (json: MispEventJson): Json => (isObj((json as Json).Event) ? ((json as Json).Event as Json) : (json as Json));

/**
 * Leaves in a pushed event only the sightings the remote organisation may see
 * (MISP pushes as a "fake sync user" of that organisation): all of them on an
 * event it owns, else its own; none when the remote organisation is unknown.
 */
function keepSightingsFor(view: MispJson, remoteOrgUuid: string | undefined): void {
  const owner = isObj(view.Org) ? String(view.Org.uuid ?? '').toLowerCase() : '';
  if (remoteOrgUuid !== undefined && owner === remoteOrgUuid) return;
  const keep = (s: unknown): boolean => remoteOrgUuid !== undefined && isObj(s) && isObj(s.Organisation) && String(s.Organisation.uuid ?? '').toLowerCase() === remoteOrgUuid;
  const attributes = [...((view.Attribute as Json[] | undefined) ?? []), ...((view.Object as Json[] | undefined) ?? []).flatMap((o) => (o.Attribute as Json[] | undefined) ?? [])];
  for (const a of attributes) if (Array.isArray(a.Sighting)) a.Sighting = a.Sighting.filter(keep);
}

/**
 * The sync engines' port over this instance: timestamps from the events table,
 * saves through the core event service (so validation, access rules, audit
 * and the event stream apply as for any write), and push candidates as full
 * MISP JSON with their sharing groups embedded, as MISP sends them.
 */
export function createLocalSide(deps: LocalSideDeps): LocalSide {
  const { db, events, actor } = deps;
  // Saved copies keep the remote timestamps: the core does that for sync users
  // (not for site admins, who edit as users). The viewer keeps the actor's sight.
  const syncActor: Principal = { ...actor, role: { ...actor.role, perm_sync: true, perm_site_admin: false } };

  const withSharingGroups = (json: MispJson): Promise<MispJson> => embedSharingGroups(deps.sharingGroups, actor, json);

  /** Creates or merges a pulled event as the sync actor (see LocalSide.saveEvent). */
  async function save(json: MispEventJson): Promise<'created' | 'updated' | 'unchanged'> {
    const ev = eventOf(json);
    const uuid = String(ev.uuid ?? '').toLowerCase();
    const existing = await db.selectFrom('events').select(['id', 'locked', 'timestamp']).where('uuid', '=', uuid).executeTakeFirst();
    const captured = await deps.capture(syncActor, ev);
    const input = parseEvent({ Event: captured.event });
    if (existing === undefined) {
      const saved = await events.add(captured.principal, input);
      // MISP marks synced events locked: local users see they came from elsewhere, and pulls may update them.
      await db.updateTable('events').set({ locked: true }).where('id', '=', Number(saved.id)).execute();
      await deps.sightings(captured.principal, captured.event);
      return 'created';
    }
    const locked = existing.locked === true || Number(existing.locked) === 1;
    if (!locked) throw new ConflictError(`Event ${uuid} was created on this instance; a remote copy does not overwrite it.`, { uuid });
    // New sightings arrive even when the event itself did not change (they do not bump its timestamp).
    const newSightings = await deps.sightings(captured.principal, captured.event);
    if (Number(ev.timestamp ?? 0) <= Number(existing.timestamp)) return newSightings > 0 ? 'updated' : 'unchanged';
    try {
      await events.edit(captured.principal, uuid, input);
    } catch (error) {
      if (error instanceof ForbiddenError && /not newer/.test(error.message)) return newSightings > 0 ? 'updated' : 'unchanged';
      throw error;
    }
    await deps.sightings(captured.principal, captured.event);
    return 'updated';
  }

  return {
    async eventTimestamps(uuids) {
      const out = new Map<string, number>();
      for (let i = 0; i < uuids.length; i += 500) {
        const part = uuids.slice(i, i + 500).map((u) => u.toLowerCase());
        for (const r of await db.selectFrom('events').select(['uuid', 'timestamp']).where('uuid', 'in', part).execute()) out.set(r.uuid, Number(r.timestamp));
      }
      return out;
    },

    async saveEvent(server: SyncServer, json: MispEventJson, received?: MispEventJson) {
      const outcome = await save(json);
      // What was adopted, as it arrived (the digest the serving side records), and from whom
      // (provenance); an unchanged copy adds nothing.
      if (outcome !== 'unchanged' && deps.record !== undefined) {
        await deps.record(actor, { action: 'pull', eventUuid: String(eventOf(json).uuid ?? ''), peer: peerOf(server), outcome, digest: contentDigest(received ?? json) });
      }
      return outcome;
    },

    async recordPushed(server: SyncServer, event: MispEventJson, outcome: 'created' | 'updated' | 'unchanged') {
      if (outcome === 'unchanged' || deps.record === undefined) return;
      await deps.record(actor, { action: 'push', eventUuid: String(eventOf(event).uuid ?? ''), peer: peerOf(server), outcome, digest: contentDigest(event), anonymised: deps.outbound !== undefined });
    },

    async eventsForPush(server: SyncServer, after: SyncCursor | undefined, limit: number) {
      let q = db.selectFrom('events').select(['id', 'uuid', 'timestamp']).where('published', '=', true);
      if (after !== undefined) {
        q = q.where((eb) => eb.or([eb('timestamp', '>', after.timestamp), eb.and([eb('timestamp', '=', after.timestamp), eb('uuid', '>', after.uuid)])]));
      }
      const rows = await q.orderBy('timestamp').orderBy('uuid').limit(limit).execute();
      const out: MispEventJson[] = [];
      for (const r of rows) {
        const view = await events.view(actor, Number(r.id), { includeDeleted: true, includeSightings: true });
        keepSightingsFor(view, server.remoteOrgUuid);
        // Anonymised for this server before anything else is added; a withheld event goes as
        // organisation-only, which the push rules never send (the cursor still moves past it).
        const kept = deps.withhold?.(server, view) === true ? undefined : deps.outbound === undefined ? view : deps.outbound(server, view);
        const shaped = kept ?? { ...view, distribution: '0' };
        // The engines take bare events (no `Event` wrapper).
        out.push((await withSharingGroups({ Event: shaped })) as MispEventJson);
      }
      return out;
    },

    isBlocked: (eventUuid, orgUuid) => deps.blocklists.isBlocked(eventUuid, orgUuid),
  };
}
