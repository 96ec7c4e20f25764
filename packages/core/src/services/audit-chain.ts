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

/** A peer's chain head kept by a witness. */
export interface KeptHead {
  readonly size: number;
  readonly hash: string;
  readonly public_key: string;
}

/** What a witness concludes from a peer's new head. */
export type PeerHeadStatus = 'first' | 'unchanged' | 'extends' | 'key-changed' | 'rolled-back' | 'rewritten';

/** Statuses that mean the peer's history cannot be trusted as it was. */
export const ALARMING_PEER_STATUSES: ReadonlySet<PeerHeadStatus> = new Set(['key-changed', 'rolled-back', 'rewritten']);

/**
 * Compares a peer's signed head (signature already checked) with the one kept from an earlier
 * sync. `hashAtKept` is the peer's own signed hash of entry `kept.size` today: an honest log that
 * grew still has the same hash there, since every hash covers all entries before it.
 */
export function judgePeerHead(kept: KeptHead | undefined, current: KeptHead, hashAtKept: string | undefined): { status: PeerHeadStatus; message: string } {
  if (kept === undefined) return { status: 'first', message: `first head kept: ${String(current.size)} entries` };
  if (kept.public_key !== current.public_key) return { status: 'key-changed', message: 'the peer signs with another key than before' };
  if (current.size < kept.size) return { status: 'rolled-back', message: `the peer's log shrank from ${String(kept.size)} to ${String(current.size)} entries` };
  if (current.size === kept.size) {
    return current.hash === kept.hash ? { status: 'unchanged', message: `unchanged at ${String(current.size)} entries` } : { status: 'rewritten', message: `entry ${String(kept.size)} now has another hash: history was rewritten` };
  }
  if (hashAtKept !== kept.hash) return { status: 'rewritten', message: `the log grew to ${String(current.size)} entries but entry ${String(kept.size)} no longer hashes as before: history was rewritten` };
  return { status: 'extends', message: `grew from ${String(kept.size)} to ${String(current.size)} entries, history unchanged` };
}
