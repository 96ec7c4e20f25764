import { sql, type Migration } from 'kysely';
import { AUDIT_GENESIS, auditEntryHash } from '@waggle/core';
import { createIndexes, type AnyDb } from './columns.js';

interface Row {
  id: number | string;
  created: number | string;
  user_id: number | string;
  org_id: number | string;
  ip: string;
  action: string;
  model: string;
  model_id: number | string;
  model_title: string;
  change: string;
}

/**
 * The audit log becomes a hash chain (ADR 0014): each entry gets its position, the previous
 * entry's hash and its own; `audit_chain_head` holds the end of the chain, and writers lock it.
 * Entries written before this migration are chained here, in id order.
 */
export function auditChainMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.alterTable('audit_logs').addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('audit_logs').addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('audit_logs').addColumn('hash', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.createTable('audit_chain_head').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('seq', 'bigint', (c) => c.notNull()).addColumn('hash', 'text', (c) => c.notNull()).execute();
      let prev = AUDIT_GENESIS;
      let seq = 0;
      const rows = (await sql<Row>`select id, created, user_id, org_id, ip, action, model, model_id, model_title, change from audit_logs order by id`.execute(db)).rows;
      for (const r of rows) {
        seq++;
        const fields = { seq, created: Number(r.created), user_id: Number(r.user_id), org_id: Number(r.org_id), ip: r.ip, action: r.action, model: r.model, model_id: Number(r.model_id), model_title: r.model_title, change: r.change, prev_hash: prev };
        const hash = auditEntryHash(fields);
        await sql`update audit_logs set seq = ${seq}, prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`.execute(db);
        prev = hash;
      }
      await sql`insert into audit_chain_head (id, seq, hash) values (1, ${seq}, ${prev})`.execute(db);
      await createIndexes(db, [['audit_logs', ['seq']]]);
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('audit_chain_head').ifExists().execute();
    },
  };
}
