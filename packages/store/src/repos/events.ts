import { sql, type SqlBool } from 'kysely';
import type { EventIndexFilters, EventRecord, EventRepository, SearchFilters, Viewer } from '@waggle/core';
import { fromRow, fromRows, asId, isUuid, mustExist, type RepoContext } from '../db/rows.js';
import { attributeConditions, eventConditions, likePattern, eventOnlySearchAll, eventSearchAllMatch, needsAttributeMatch } from '../db/filters.js';
import { attributeVisible, eventVisible } from '../db/visibility.js';

const toEvent = (row: unknown): EventRecord => fromRow<EventRecord>('events', row);

/** Events over SQL. */
export function eventRepository(ctx: RepoContext): EventRepository {
  const { db, engine } = ctx;

  async function getEvent(ref: number | string): Promise<EventRecord | undefined> {
    const id = asId(ref);
    let q = db.selectFrom('events').selectAll();
    if (id !== undefined) q = q.where('id', '=', id);
    else if (typeof ref === 'string' && isUuid(ref)) q = q.where('uuid', '=', ref.toLowerCase());
    else return undefined;
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : toEvent(row);
  }

  async function eventIdsMatching(filters: SearchFilters, viewer: Viewer): Promise<number[]> {
    const rows = await db
      .selectFrom('attributes')
      .innerJoin('events', 'events.id', 'attributes.event_id')
      .select('attributes.event_id')
      .distinct()
      .where((eb) => eb.and([attributeVisible(eb, viewer), ...attributeConditions(eb, filters, engine)]))
      .execute();
    return rows.map((r) => r.event_id);
  }

  /** The visible events matching an index or search, as a query still to be given its columns. */
  async function matchingEvents(filters: EventIndexFilters, viewer: Viewer) {
    let matchIds = needsAttributeMatch(filters) ? await eventIdsMatching(filters, viewer) : undefined;
    if (matchIds !== undefined && eventOnlySearchAll(filters)) {
      const byEvent = await db.selectFrom('events').select('events.id').where((eb) => eb.and([eventVisible(eb, viewer), eventSearchAllMatch(eb, filters.searchAll ?? '', engine)])).execute();
      if (byEvent.length > 0) matchIds = [...new Set([...matchIds, ...byEvent.map((r) => Number(r.id))])];
    }
    let q = db.selectFrom('events').where((eb) => eb.and([eventVisible(eb, viewer), ...eventConditions(eb, filters, engine)]));
    if (matchIds !== undefined) q = q.where('events.id', 'in', matchIds.length > 0 ? matchIds : [-1]);
    if (filters.sightingTimestampFrom !== undefined) q = q.where('events.sighting_timestamp', '>=', filters.sightingTimestampFrom);
    const email = filters.creatorEmail;
    if (email !== undefined) {
      const users = (part: string) => db.selectFrom('users').select('users.id').where(sql<SqlBool>`lower(users.email) like ${`%${likePattern(part.toLowerCase())}%`} escape '\\'`);
      if (email.include.length > 0) q = q.where((eb) => eb.or(email.include.map((part) => eb('events.user_id', 'in', users(part)))));
      for (const part of email.exclude) q = q.where('events.user_id', 'not in', users(part));
    }
    if (filters.withContent === true) {
      q = q.where(sql<SqlBool>`(events.attribute_count > 0 or exists (select 1 from event_reports er where er.event_id = events.id and er.deleted = 0))`);
    }
    if (filters.hasProposal !== undefined) {
      const pending = sql<SqlBool>`exists (select 1 from shadow_attributes sa where sa.event_id = events.id and sa.deleted = 0)`;
      q = q.where(filters.hasProposal ? pending : sql<SqlBool>`not ${pending}`);
    }
    return q;
  }

  return {
    async insertEvent(event) {
      const row = await db.insertInto('events').values(event).returningAll().executeTakeFirstOrThrow();
      return toEvent(row);
    },
    getEvent,
    async updateEvent(id, patch) {
      if (Object.keys(patch).length > 0) await db.updateTable('events').set(patch).where('id', '=', id).execute();
      return mustExist(await getEvent(id), 'Event', id);
    },
    async deleteEvent(id) {
      // Analyst data on the event and its attributes, objects and reports, then the analyst data on that analyst data.
      let attached = await db.selectFrom('analyst_data').select(['id', 'uuid']).where((eb) => eb.or([
        eb('object_uuid', 'in', eb.selectFrom('events').select('uuid').where('id', '=', id)),
        eb('object_uuid', 'in', eb.selectFrom('attributes').select('uuid').where('event_id', '=', id)),
        eb('object_uuid', 'in', eb.selectFrom('objects').select('uuid').where('event_id', '=', id)),
        eb('object_uuid', 'in', eb.selectFrom('event_reports').select('uuid').where('event_id', '=', id)),
      ])).execute();
      while (attached.length > 0) {
        await db.deleteFrom('analyst_data').where('id', 'in', attached.map((r) => r.id)).execute();
        attached = await db.selectFrom('analyst_data').select(['id', 'uuid']).where('object_uuid', 'in', attached.map((r) => r.uuid)).execute();
      }
      await db.deleteFrom('ip_ranges').where('event_id', '=', id).execute();
      await db.deleteFrom('attribute_tags').where('event_id', '=', id).execute();
      await db.deleteFrom('event_tags').where('event_id', '=', id).execute();
      await db.deleteFrom('sightings').where('event_id', '=', id).execute();
      await db.deleteFrom('shadow_attributes').where('event_id', '=', id).execute();
      await db.deleteFrom('event_reports').where('event_id', '=', id).execute();
      await db.deleteFrom('object_references').where('event_id', '=', id).execute();
      await db.deleteFrom('objects').where('event_id', '=', id).execute();
      await db.deleteFrom('attribute_data').where('attribute_id', 'in', db.selectFrom('attributes').select('id').where('event_id', '=', id)).execute();
      await db.deleteFrom('attributes').where('event_id', '=', id).execute();
      await db.deleteFrom('events').where('id', '=', id).execute();
    },
    async listEvents(filters: EventIndexFilters, viewer: Viewer) {
      const sort = filters.sort ?? 'timestamp';
      const direction = filters.direction ?? 'desc';
      let q = (await matchingEvents(filters, viewer)).selectAll('events').orderBy(`events.${sort}`, direction).orderBy('events.id', direction);
      if (filters.limit !== undefined) {
        q = q.limit(filters.limit).offset(((filters.page ?? 1) - 1) * filters.limit);
      }
      return fromRows<EventRecord>('events', await q.execute());
    },
    async countEvents(filters: EventIndexFilters, viewer: Viewer) {
      const row = await (await matchingEvents(filters, viewer)).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    eventIdsMatching,
    async recountAttributes(eventId) {
      const row = await db
        .selectFrom('attributes')
        .select(sql<number>`count(*)`.as('n'))
        .where('event_id', '=', eventId)
        .where('deleted', '=', false as never)
        .executeTakeFirstOrThrow();
      const n = Number(row.n);
      await db.updateTable('events').set({ attribute_count: n }).where('id', '=', eventId).execute();
      return n;
    },
    async countEventTags(viewer) {
      const rows = await db
        .selectFrom('event_tags')
        .innerJoin('events', 'events.id', 'event_tags.event_id')
        .innerJoin('tags', 'tags.id', 'event_tags.tag_id')
        .where((eb) => eventVisible(eb, viewer))
        .select(['tags.name as name', sql<number>`count(*)`.as('n')])
        .groupBy('tags.name')
        .execute();
      return rows.map((r) => ({ name: r.name, count: Number(r.n) }));
    },
    async isEventBlocklisted(uuid) {
      // Blocklist entries are stored lower-case (sharing/blocklists.ts).
      const row = await db.selectFrom('event_blocklists').select('id').where('event_uuid', '=', uuid.trim().toLowerCase()).executeTakeFirst();
      return row !== undefined;
    },
  };
}
