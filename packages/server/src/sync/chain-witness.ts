import { createPublicKey, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import { chainHeadStatement, judgePeerHead, type KeptHead, type PeerHeadStatus } from '@waggle/core';
import type { MispRemote } from '@waggle/sync';
import type { Database } from '@waggle/store';

/** What witnessing a peer's audit chain found (ADR 0014). */
export interface ChainWitnessResult {
  readonly status: PeerHeadStatus | 'invalid' | 'unavailable';
  readonly message: string;
  readonly size?: number;
}

interface CheckedHead extends KeptHead {
  readonly signed_at: string;
  readonly signature: string;
}

/** A signed head as a peer sends it, if its statement and Ed25519 signature hold. */
export function checkSignedHead(raw: Record<string, unknown>): CheckedHead | string {
  const { size, hash, signed_at: signedAt, statement, public_key: publicKey, signature, algorithm } = raw;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return 'the head has no valid size';
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return 'the head has no valid hash';
  if (typeof signedAt !== 'string' || typeof statement !== 'string') return 'the head has no statement';
  if (statement !== chainHeadStatement({ size, hash }, signedAt)) return 'the signed statement does not match the head';
  if (algorithm !== 'Ed25519' || typeof publicKey !== 'string' || typeof signature !== 'string') return 'the head is not signed with Ed25519';
  try {
    if (!verify(null, Buffer.from(statement, 'utf8'), createPublicKey(publicKey), Buffer.from(signature, 'base64'))) return 'the signature does not verify';
  } catch {
    return 'the public key or signature cannot be read';
  }
  return { size, hash, public_key: publicKey, signed_at: signedAt, signature };
}

/**
 * Witnesses a waggle peer's audit chain during sync: fetches its signed head, checks the
 * signature, and compares it with the head kept last time (same key, no shrinking, and the
 * peer's signed hash of the kept position unchanged). A good head replaces the kept one; an
 * alarming one is recorded beside it and the kept head stays. Undefined for a peer without a
 * chain (a stock MISP).
 */
export async function witnessPeerChain(db: Kysely<Database>, remote: Pick<MispRemote, 'chainHead'>, serverId: number, now: number): Promise<ChainWitnessResult | undefined> {
  const raw = await remote.chainHead();
  if (raw === undefined) return undefined;
  const current = checkSignedHead(raw);
  const row = await db.selectFrom('peer_chain_heads').selectAll().where('server_id', '=', serverId).executeTakeFirst();
  const record = async (result: ChainWitnessResult, head?: CheckedHead): Promise<ChainWitnessResult> => {
    const values = { checked_at: now, status: result.status, message: result.message, ...(head !== undefined ? { size: head.size, hash: head.hash, public_key: head.public_key, signed_at: head.signed_at, signature: head.signature } : {}) };
    if (row === undefined) await db.insertInto('peer_chain_heads').values({ server_id: serverId, size: 0, hash: '', public_key: '', signed_at: '', signature: '', ...values }).execute();
    else await db.updateTable('peer_chain_heads').set(values).where('server_id', '=', serverId).execute();
    return result;
  };
  if (typeof current === 'string') return record({ status: 'invalid', message: current });
  const kept: KeptHead | undefined = row === undefined || row.hash === '' ? undefined : { size: Number(row.size), hash: row.hash, public_key: row.public_key };
  let hashAtKept: string | undefined;
  if (kept !== undefined && current.size > kept.size && current.public_key === kept.public_key && kept.size > 0) {
    const at = await remote.chainHead(kept.size);
    const checked = at === undefined ? 'no answer' : checkSignedHead(at);
    if (typeof checked !== 'string' && checked.size === kept.size && checked.public_key === kept.public_key) hashAtKept = checked.hash;
  } else if (kept !== undefined && kept.size === 0) {
    hashAtKept = kept.hash;
  }
  const verdict = judgePeerHead(kept, current, hashAtKept);
  const good = verdict.status === 'first' || verdict.status === 'unchanged' || verdict.status === 'extends';
  return record({ ...verdict, size: current.size }, good ? current : undefined);
}
