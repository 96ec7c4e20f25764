import { createHash } from 'node:crypto';
import type { AuditLogRecord } from '../model/records.js';

/** The `prev_hash` of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The fields an entry's hash covers (everything but the database id). */
export type ChainedFields = Pick<AuditLogRecord, 'seq' | 'created' | 'user_id' | 'org_id' | 'ip' | 'action' | 'model' | 'model_id' | 'model_title' | 'change' | 'prev_hash'>;

/**
 * SHA-256 (hex) of an audit entry: a JSON array of a version tag and the fields in a fixed order,
 * so the same entry hashes the same on every engine and in every language.
 */
export function auditEntryHash(e: ChainedFields): string {
  const canonical = JSON.stringify(['waggle-audit-v1', e.seq, e.created, e.user_id, e.org_id, e.ip, e.action, e.model, e.model_id, e.model_title, e.change, e.prev_hash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** What checking a run of the chain found. */
export type ChainVerdict =
  | { readonly ok: true; readonly size: number; readonly hash: string }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

/**
 * Checks entries in chain order, starting after (`startSeq - 1`, `startHash`): each must follow
 * the previous one and hash to its stored `hash`. Returns the last position and hash reached, or
 * the first entry that breaks the chain and why.
 */
export function verifyAuditChain(entries: Iterable<AuditLogRecord>, start: { readonly seq: number; readonly hash: string } = { seq: 0, hash: AUDIT_GENESIS }): ChainVerdict {
  let seq = start.seq;
  let hash = start.hash;
  for (const e of entries) {
    if (e.seq !== seq + 1) return { ok: false, seq: seq + 1, reason: `entry ${String(seq + 1)} is missing (found ${String(e.seq)} instead)` };
    if (e.prev_hash !== hash) return { ok: false, seq: e.seq, reason: `entry ${String(e.seq)} does not follow entry ${String(seq)} (prev_hash differs)` };
    if (auditEntryHash(e) !== e.hash) return { ok: false, seq: e.seq, reason: `entry ${String(e.seq)} was changed after it was written (its hash does not match its fields)` };
    seq = e.seq;
    hash = e.hash;
  }
  return { ok: true, size: seq, hash };
}

/** The text a signed chain head covers. */
export function chainHeadStatement(head: { readonly size: number; readonly hash: string }, signedAt: string): string {
  return `waggle-audit-head-v1\n${String(head.size)}\n${head.hash}\n${signedAt}\n`;
}
