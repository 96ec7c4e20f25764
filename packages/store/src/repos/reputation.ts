import { sql, type SqlBool } from 'kysely';
import type { ReputationRepository } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';
import { attributeVisible, eventVisible } from '../db/visibility.js';
import { attributeUuidJoinFilter } from '../db/attribute-keys.js';

/** The evidence source reputation is computed from, over SQL. */
export function reputationRepository(ctx: RepoContext): ReputationRepository {
  const { db } = ctx;
  return {
    async sightingEvidence(viewer, source) {
      // One row per sighting: grouping in SQL cost more than it saved (nearly every sighting is
      // its own group); the scoring keeps the latest per reporter and attribute.
      let q = db
        .selectFrom('sightings')
        .innerJoin('attributes', 'attributes.id', 'sightings.attribute_id')
        .innerJoin('events', 'events.id', 'attributes.event_id')
        .where((eb) => eb.and([
          attributeVisible(eb, viewer),
          sql<SqlBool>`attributes.deleted = 0`,
          sql<SqlBool>`sightings.type in (0, 1)`,
          sql<SqlBool>`sightings.org_id <> events.orgc_id`,
        ]));
      if (source !== undefined) q = q.where('events.orgc_id', '=', source);
      const rows = await q
        .select(['events.orgc_id as source', 'events.org_id as event_org', 'sightings.org_id as reporter', 'sightings.attribute_id as attribute_id', 'sightings.type as type', 'sightings.date_sighting as at'])
        .execute();
      return rows.map((r) => ({
        source: Number(r.source),
        eventOrg: Number(r.event_org),
        reporter: Number(r.reporter),
        attributeId: Number(r.attribute_id),
        type: Number(r.type),
        at: Number(r.at),
      }));
    },
    async opinionSources(viewer, source) {
      let onAttributes = db
        .selectFrom('analyst_data')
        .innerJoin('attributes', (join) => {
          const on = join.onRef('attributes.uuid', '=', 'analyst_data.object_uuid');
          const keyed = attributeUuidJoinFilter(ctx.engine, 'attributes.id', 'analyst_data.object_uuid');
          return keyed === undefined ? on : on.on(keyed);
        })
        .innerJoin('events', 'events.id', 'attributes.event_id')
        .where('analyst_data.kind', '=', 'Opinion')
        .where('analyst_data.object_type', '=', 'Attribute')
        .where((eb) => attributeVisible(eb, viewer));
      let onEvents = db
        .selectFrom('analyst_data')
        .innerJoin('events', 'events.uuid', 'analyst_data.object_uuid')
        .where('analyst_data.kind', '=', 'Opinion')
        .where('analyst_data.object_type', '=', 'Event')
        .where((eb) => eventVisible(eb, viewer));
      if (source !== undefined) {
        onAttributes = onAttributes.where('events.orgc_id', '=', source);
        onEvents = onEvents.where('events.orgc_id', '=', source);
      }
      const rows = [
        ...(await onAttributes.select(['analyst_data.uuid as uuid', 'events.orgc_id as source']).execute()),
        ...(await onEvents.select(['analyst_data.uuid as uuid', 'events.orgc_id as source']).execute()),
      ];
      return rows.map((r) => ({ uuid: r.uuid, source: Number(r.source) }));
    },
    async sourceActivity(viewer, source) {
      let q = db.selectFrom('events').where((eb) => eventVisible(eb, viewer));
      if (source !== undefined) q = q.where('events.orgc_id', '=', source);
      const rows = await q
        .select(['events.orgc_id as source', sql<number>`count(*)`.as('events'), sql<number>`coalesce(sum(events.attribute_count), 0)`.as('attributes')])
        .groupBy('events.orgc_id')
        .execute();
      return rows.map((r) => ({ source: Number(r.source), events: Number(r.events), attributes: Number(r.attributes) }));
    },
  };
}
