import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash, judgePeerHead, verifyAuditChain } from './audit-chain.js';
import type { AuditLogRecord } from '../model/records.js';

const entry = (seq: number, prev: string, title = `entry ${String(seq)}`): AuditLogRecord => {
  const fields = { seq, created: 1_700_000_000 + seq, user_id: 1, org_id: 1, ip: '127.0.0.1', action: 'add', model: 'Event', model_id: seq, model_title: title, change: '{"a":"ü"}', prev_hash: prev };
  return { id: seq * 10, ...fields, hash: auditEntryHash(fields) };
};
const chain = (n: number): AuditLogRecord[] => {
  const out: AuditLogRecord[] = [];
  for (let i = 1; i <= n; i++) out.push(entry(i, out[i - 2]?.hash ?? AUDIT_GENESIS));
  return out;
};

describe('audit hash chain', () => {
  it('hashes the fields, not the database id, and links each entry to the one before', () => {
    const c = chain(3);
    expect(auditEntryHash({ ...c[1] as AuditLogRecord })).toBe(c[1]?.hash);
    expect({ ...c[1], id: 999 }.hash).toBe(c[1]?.hash);
    expect(verifyAuditChain(c)).toEqual({ ok: true, size: 3, hash: c[2]?.hash });
    expect(verifyAuditChain([])).toEqual({ ok: true, size: 0, hash: AUDIT_GENESIS });
  });

  it('names the first changed, reordered or missing entry', () => {
    const c = chain(4);
    expect(verifyAuditChain([c[0], { ...c[1], model_title: 'x' }, c[2], c[3]] as AuditLogRecord[])).toMatchObject({ ok: false, seq: 2 });
    expect(verifyAuditChain([c[0], c[2], c[3]] as AuditLogRecord[])).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('missing') });
    // A rebuilt entry 2 hashes correctly on its own but breaks the link to entry 3.
    const rebuilt = entry(2, c[0]?.hash as string, 'rewritten');
    expect(verifyAuditChain([c[0], rebuilt, c[2]] as AuditLogRecord[])).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('does not follow') });
  });
});

describe('judgePeerHead (a witness of a peer’s chain)', () => {
  const kept = { size: 10, hash: 'a'.repeat(64), public_key: 'K' };
  it('accepts a first head, an unchanged one, and one that grew over unchanged history', () => {
    expect(judgePeerHead(undefined, kept, undefined).status).toBe('first');
    expect(judgePeerHead(kept, kept, undefined).status).toBe('unchanged');
    expect(judgePeerHead(kept, { size: 12, hash: 'b'.repeat(64), public_key: 'K' }, kept.hash).status).toBe('extends');
  });
  it('raises a changed key, a shrunk log, and rewritten history', () => {
    expect(judgePeerHead(kept, { ...kept, public_key: 'L' }, undefined).status).toBe('key-changed');
    expect(judgePeerHead(kept, { size: 9, hash: 'c'.repeat(64), public_key: 'K' }, undefined).status).toBe('rolled-back');
    expect(judgePeerHead(kept, { size: 10, hash: 'c'.repeat(64), public_key: 'K' }, undefined).status).toBe('rewritten');
    expect(judgePeerHead(kept, { size: 12, hash: 'b'.repeat(64), public_key: 'K' }, 'd'.repeat(64)).status).toBe('rewritten');
    expect(judgePeerHead(kept, { size: 12, hash: 'b'.repeat(64), public_key: 'K' }, undefined).status).toBe('rewritten');
  });
});
