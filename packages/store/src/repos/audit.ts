import type { AuditLogRecord, AuditRepository } from '@waggle/core';
import { fromRows, type RepoContext } from '../db/rows.js';

/** The audit log over SQL: append-only, read newest first. */
export function auditRepository(ctx: RepoContext): AuditRepository {
  const { db } = ctx;

  return {
    async insertAudit(entry) {
      await db.insertInto('audit_logs').values(entry).execute();
    },
    async listAudit(filter) {
      const { model, modelId, limit } = filter;
      if (limit !== undefined && !(limit > 0)) return [];
      let q = db.selectFrom('audit_logs').selectAll();
      if (model !== undefined) q = q.where('model', '=', model);
      if (modelId !== undefined) q = q.where('model_id', '=', modelId);
      // Entries written in the same second keep their insertion order through the id.
      q = q.orderBy('created', 'desc').orderBy('id', 'desc');
      if (limit !== undefined && Number.isFinite(limit)) q = q.limit(Math.max(1, Math.floor(limit)));
      return fromRows<AuditLogRecord>('audit_logs', await q.execute());
    },
  };
}
