import { InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requireSiteAdmin } from '../access/permissions.js';
import type { AuditLogRecord } from '../model/records.js';
import { AUDIT_GENESIS, chainHeadStatement, verifyAuditChain, type ChainVerdict } from './audit-chain.js';
import type { CoreDeps } from './deps.js';

/** Signs chain heads with the instance's key (Ed25519 in waggle's runtime). */
export interface AuditHeadSigner {
  readonly algorithm: string;
  /** The public key, PEM (SPKI). */
  readonly publicKeyPem: string;
  /** Base64 signature of the statement's UTF-8 bytes. */
  sign(statement: string): string;
}

/** A chain head as the server states it. */
export interface SignedChainHead {
  readonly size: number;
  readonly hash: string;
  readonly signed_at: string;
  /** The exact text signed ({@link chainHeadStatement}). */
  readonly statement: string;
  readonly algorithm?: string;
  readonly public_key?: string;
  readonly signature?: string;
}

const PAGE = 5_000;

/** An entry as the chain API returns it: every field the hash covers, and the hashes. */
export function chainEntryJson(e: AuditLogRecord): Record<string, unknown> {
  return { seq: e.seq, created: e.created, user_id: e.user_id, org_id: e.org_id, ip: e.ip, action: e.action, model: e.model, model_id: e.model_id, model_title: e.model_title, change: e.change, prev_hash: e.prev_hash, hash: e.hash };
}

/**
 * The audit log as a verifiable hash chain (ADR 0014): anyone signed in may read the signed head
 * (and compare it with one seen earlier: an honest log only grows); site admins read the entries
 * and ask the server to check the whole chain.
 */
export function createAuditChainService(deps: CoreDeps, signer?: AuditHeadSigner) {
  const { store, clock } = deps;
  return {
    /** The signed head; with `at`, the signed hash of entry `at` (a witness checks that history up to a head it kept is unchanged). */
    async head(at?: number): Promise<SignedChainHead> {
      const head = await store.read(async (repos) => {
        const end = await repos.auditChainHead();
        if (at === undefined) return end;
        if (!Number.isSafeInteger(at) || at < 1) throw new InputError('at must be a position ≥ 1', { field: 'at' });
        const entry = at > end.size ? undefined : (await repos.listAuditChain(at, 1))[0];
        if (entry === undefined || entry.seq !== at) throw new NotFoundError(`The audit chain has no entry ${String(at)}.`);
        return { size: at, hash: entry.hash };
      });
      const signedAt = new Date(clock.now() * 1000).toISOString();
      const statement = chainHeadStatement(head, signedAt);
      return { size: head.size, hash: head.hash, signed_at: signedAt, statement, ...(signer !== undefined ? { algorithm: signer.algorithm, public_key: signer.publicKeyPem, signature: signer.sign(statement) } : {}) };
    },
    async entries(p: Principal, from: number, limit: number): Promise<Record<string, unknown>[]> {
      requireSiteAdmin(p, 'read the audit chain');
      if (!Number.isSafeInteger(from) || from < 1) throw new InputError('from must be a position ≥ 1', { field: 'from' });
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new InputError('limit must be between 1 and 10000', { field: 'limit' });
      return (await store.read((repos) => repos.listAuditChain(from, limit))).map(chainEntryJson);
    },
    /** Recomputes every hash, page by page, and compares the end with the stored head. */
    async verify(p: Principal): Promise<ChainVerdict> {
      requireSiteAdmin(p, 'verify the audit chain');
      return verifyStoredChain(deps);
    },
  };
}

/** Checks the stored chain against its head (also used by `waggle admin log --verify`). */
export async function verifyStoredChain(deps: Pick<CoreDeps, 'store'>): Promise<ChainVerdict> {
  return deps.store.read(async (repos) => {
    const head = await repos.auditChainHead();
    let at = { seq: 0, hash: AUDIT_GENESIS };
    for (;;) {
      const page = await repos.listAuditChain(at.seq + 1, PAGE);
      if (page.length === 0) break;
      const verdict = verifyAuditChain(page, at);
      if (!verdict.ok) return verdict;
      at = { seq: verdict.size, hash: verdict.hash };
    }
    if (at.seq !== head.size || at.hash !== head.hash) {
      return { ok: false, seq: Math.min(at.seq, head.size) + 1, reason: `the chain ends at entry ${String(at.seq)} but the head says ${String(head.size)} entries ending in ${head.hash.slice(0, 12)}…` };
    }
    return { ok: true, size: at.seq, hash: at.hash };
  });
}

/** The audit chain service's type. */
export type AuditChainService = ReturnType<typeof createAuditChainService>;
