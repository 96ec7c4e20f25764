import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, verifyAuditChain, type AuditLogRecord } from '@waggle/core';
import { auditChainMigration } from './011-audit-chain.js';

describe('migration 011 (audit hash chain)', () => {
  it('chains the entries written before it, in id order, and records the head', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    await sql`create table audit_logs (id integer primary key autoincrement, created bigint not null default 0, user_id integer not null default 0, org_id integer not null default 0, ip text not null default '', action text not null default '', model text not null default '', model_id integer not null default 0, model_title text not null default '', change text not null default '')`.execute(db);
    for (let i = 1; i <= 3; i++) await sql`insert into audit_logs (created, user_id, org_id, action, model, model_id, model_title, change) values (${1_700_000_000 + i}, 1, 1, 'add', 'Event', ${i}, ${`event ${String(i)}`}, '{}')`.execute(db);
    await auditChainMigration().up(db);
    const rows = (await sql<AuditLogRecord>`select * from audit_logs order by seq`.execute(db)).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prev_hash).toBe(AUDIT_GENESIS);
    const verdict = verifyAuditChain(rows);
    expect(verdict.ok).toBe(true);
    const head = (await sql<{ seq: number; hash: string }>`select seq, hash from audit_chain_head where id = 1`.execute(db)).rows[0];
    expect(head).toEqual({ seq: 3, hash: rows[2]?.hash });
    await db.destroy();
  });
});
