import { sql, type Expression, type SqlBool } from 'kysely';
import { AUDIT_GENESIS, auditEntryHash, type AuditFilter, type AuditLogRecord, type AuditRepository } from '@waggle/core';
import { textMatch } from '../db/filters.js';
import { fromRows, type RepoContext } from '../db/rows.js';

/** The audit log over SQL: append-only, read newest first. */
export function auditRepository(ctx: RepoContext): AuditRepository {
  const { db, engine } = ctx;

  /** Exact text, or a `%` pattern matched case-insensitively; the alternatives OR-ed. */
  const textIn = (column: string, values: readonly string[]): Expression<SqlBool> =>
    values.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(${sql.join(values.map((v) => textMatch(column, v, engine)), sql` or `)})`;
  const intIn = (column: string, values: readonly number[]): Expression<SqlBool> =>
    values.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`${sql.ref(column)} in (${sql.join([...values])})`;

  function conditions(f: AuditFilter): Expression<SqlBool>[] {
    const out: Expression<SqlBool>[] = [];
    if (f.ids !== undefined) out.push(intIn('id', f.ids));
    if (f.model !== undefined) out.push(textIn('model', [f.model]));
    if (f.models !== undefined) out.push(textIn('model', f.models));
    if (f.modelId !== undefined) out.push(intIn('model_id', [f.modelId]));
    if (f.modelIds !== undefined) out.push(intIn('model_id', f.modelIds));
    if (f.actions !== undefined) out.push(textIn('action', f.actions));
    if (f.userIds !== undefined) out.push(intIn('user_id', f.userIds));
    if (f.orgIds !== undefined) out.push(intIn('org_id', f.orgIds));
    if (f.createdFrom !== undefined) out.push(sql<SqlBool>`created >= ${f.createdFrom}`);
    if (f.createdTo !== undefined) out.push(sql<SqlBool>`created <= ${f.createdTo}`);
    if (f.titles !== undefined) out.push(textIn('model_title', f.titles));
    if (f.changes !== undefined) out.push(textIn('change', f.changes));
    if (f.ips !== undefined) out.push(textIn('ip', f.ips));
    return out;
  }

  const page = <Q extends { limit(n: number): Q; offset(n: number): Q }>(q: Q, p: { readonly limit?: number; readonly offset?: number }): Q => {
    let out = q;
    // An infinite limit is no limit.
    const limit = p.limit !== undefined && Number.isFinite(p.limit) ? Math.max(1, Math.floor(p.limit)) : undefined;
    if (limit !== undefined) out = out.limit(limit);
    if (p.offset !== undefined && p.offset > 0) out = (limit === undefined ? out.limit(Number.MAX_SAFE_INTEGER) : out).offset(Math.floor(p.offset));
    return out;
  };

  return {
    async insertAudit(entry) {
      // The head row serialises writers: PostgreSQL locks it until COMMIT; SQLite write
      // transactions are BEGIN IMMEDIATE, so only one runs at a time anyway.
      const headQuery = db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
      const head = await (engine === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirst();
      const prev = head?.hash ?? AUDIT_GENESIS;
      const seq = Number(head?.seq ?? 0) + 1;
      const hash = auditEntryHash({ ...entry, seq, prev_hash: prev });
      await db.insertInto('audit_logs').values({ ...entry, seq, prev_hash: prev, hash }).execute();
      // The migration writes the head row; an emptied table (tests) starts the chain again.
      if (head === undefined) await db.insertInto('audit_chain_head').values({ id: 1, seq, hash }).execute();
      else await db.updateTable('audit_chain_head').set({ seq, hash }).where('id', '=', 1).execute();
    },
    async auditChainHead() {
      const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      return { size: Number(head?.seq ?? 0), hash: head?.hash ?? AUDIT_GENESIS };
    },
    async listAuditChain(fromSeq, limit) {
      const rows = await db.selectFrom('audit_logs').selectAll().where('seq', '>=', Math.max(1, Math.floor(fromSeq))).orderBy('seq').limit(Math.max(1, Math.floor(limit))).execute();
      return fromRows<AuditLogRecord>('audit_logs', rows).map((r) => ({ ...r, id: Number(r.id), seq: Number(r.seq), created: Number(r.created), user_id: Number(r.user_id), org_id: Number(r.org_id), model_id: Number(r.model_id) }));
    },
    async listAudit(filter) {
      if (filter.limit !== undefined && !(filter.limit > 0)) return [];
      const where = conditions(filter);
      let q = db.selectFrom('audit_logs').selectAll();
      if (where.length > 0) q = q.where((eb) => eb.and(where));
      // Entries written in the same second keep their insertion order through the id.
      q = page(q.orderBy('created', 'desc').orderBy('id', 'desc'), filter);
      return fromRows<AuditLogRecord>('audit_logs', await q.execute());
    },
    async listEventHistory(eventId, p) {
      if (p.limit !== undefined && !(p.limit > 0)) return [];
      const q = db
        .selectFrom('audit_logs')
        .selectAll()
        .where((eb) =>
          eb.or([
            sql<SqlBool>`model = 'Event' and model_id = ${eventId}`,
            sql<SqlBool>`model = 'Attribute' and model_id in (select id from attributes where event_id = ${eventId})`,
            sql<SqlBool>`model = 'MispObject' and model_id in (select id from objects where event_id = ${eventId})`,
            sql<SqlBool>`model = 'ShadowAttribute' and model_id in (select id from shadow_attributes where event_id = ${eventId})`,
            sql<SqlBool>`model = 'EventReport' and model_id in (select id from event_reports where event_id = ${eventId})`,
          ]),
        )
        .orderBy('created', 'desc')
        .orderBy('id', 'desc');
      return fromRows<AuditLogRecord>('audit_logs', await page(q, p).execute());
    },
  };
}
