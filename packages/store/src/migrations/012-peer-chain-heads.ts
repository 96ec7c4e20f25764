import type { Migration } from 'kysely';
import type { SqlEngine } from '../db/engine.js';
import { createIndexes, createTables, i, t, ts, type AnyDb } from './columns.js';

/** Audit chain heads of sync peers, kept by this instance as their witness (ADR 0014). */
export function peerChainHeadsMigration(engine: SqlEngine): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await createTables(db, engine, {
        peer_chain_heads: [i('server_id'), ts('size'), t('hash'), t('public_key'), t('signed_at'), t('signature'), ts('checked_at'), t('status'), t('message')],
      });
      await createIndexes(db, [['peer_chain_heads', ['server_id'], true]]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('peer_chain_heads').ifExists().execute();
    },
  };
}
