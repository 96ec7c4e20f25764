import { sql, type SqlBool } from 'kysely';
import type { ReputationRepository } from '@waggle/core';
import type { RepoContext } from '../db/rows.js';
import { attributeVisible, eventVisible } from '../db/visibility.js';

/** The evidence source reputation is computed from, as aggregates over SQL (one row per reporter, attribute and type). */
export function reputationRepository(ctx: RepoContext): ReputationRepository {
  const { db } = ctx;
  return {
    async sightingEvidence(viewer) {
      const rows = await db
        .selectFrom('sightings')
        .innerJoin('attributes', 'attributes.id', 'sightings.attribute_id')
        .innerJoin('events', 'events.id', 'attributes.event_id')
        .where((eb) => eb.and([
          attributeVisible(eb, viewer),
          sql<SqlBool>`attributes.deleted = 0`,
          sql<SqlBool>`sightings.type in (0, 1)`,
          sql<SqlBool>`sightings.org_id <> events.orgc_id`,
        ]))
        .select([
          'events.orgc_id as source',
          'events.org_id as event_org',
          'sightings.org_id as reporter',
          'sightings.attribute_id as attribute_id',
          'sightings.type as type',
          sql<number>`max(sightings.date_sighting)`.as('at'),
        ])
        .groupBy(['events.orgc_id', 'events.org_id', 'sightings.org_id', 'sightings.attribute_id', 'sightings.type'])
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
    async sourceActivity(viewer) {
      const rows = await db
        .selectFrom('events')
        .where((eb) => eventVisible(eb, viewer))
        .select(['events.orgc_id as source', sql<number>`count(*)`.as('events'), sql<number>`coalesce(sum(events.attribute_count), 0)`.as('attributes')])
        .groupBy('events.orgc_id')
        .execute();
      return rows.map((r) => ({ source: Number(r.source), events: Number(r.events), attributes: Number(r.attributes) }));
    },
  };
}
