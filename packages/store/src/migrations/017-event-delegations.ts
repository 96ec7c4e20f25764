import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { createIndexes, createTables, i, t, type AnyDb } from './columns.js';

/**
 * MISP's `event_delegations`: requests that another organisation take over an event. One pending
 * request per event (the unique index keeps two concurrent requests from both being stored).
 */
export function eventDelegationsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, {
        event_delegations: [i('org_id'), i('requester_org_id'), i('event_id'), t('message'), i('distribution', -1), i('sharing_group_id')],
      });
      await createIndexes(db, [
        ['event_delegations', ['event_id'], true],
        ['event_delegations', ['org_id']],
        ['event_delegations', ['requester_org_id']],
      ]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('event_delegations').ifExists().execute();
    },
  };
}
