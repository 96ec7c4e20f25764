import { expect, it } from 'vitest';
import { AUDIT_GENESIS, auditEntryHash, verifyAuditChain, type AuditEntryInput, type AuditLogRecord } from '@waggle/core';
import { forEachEngine } from '../test-support/engines.js';
import { auditRepository } from './audit.js';

function anAuditEntry(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    created: 1_700_000_000,
    user_id: 1,
    org_id: 1,
    ip: '127.0.0.1',
    action: 'add',
    model: 'Event',
    model_id: 1,
    model_title: 'Event (1): test',
    change: '',
    ...overrides,
  };
}

forEachEngine('auditRepository', (getCtx) => {
  const repo = () => auditRepository(getCtx());

  it('stores entries and lists them newest first (same second: latest written first)', async () => {
    await repo().insertAudit(anAuditEntry({ created: 100, model_title: 'a' }));
    await repo().insertAudit(anAuditEntry({ created: 300, model_title: 'b' }));
    await repo().insertAudit(anAuditEntry({ created: 200, model_title: 'c' }));
    await repo().insertAudit(anAuditEntry({ created: 300, model_title: 'd' }));
    const all = await repo().listAudit({});
    expect(all.map((e) => e.model_title)).toEqual(['d', 'b', 'c', 'a']);
    expect(all[0]).toEqual({ ...anAuditEntry({ created: 300, model_title: 'd' }), id: expect.any(Number), seq: 4, prev_hash: expect.any(String), hash: expect.any(String) });
  });

  it('filters by model and model id', async () => {
    await repo().insertAudit(anAuditEntry({ model: 'Event', model_id: 1, created: 1 }));
    await repo().insertAudit(anAuditEntry({ model: 'Event', model_id: 2, created: 2 }));
    await repo().insertAudit(anAuditEntry({ model: 'User', model_id: 1, created: 3 }));
    await repo().insertAudit(anAuditEntry({ model: 'Event', model_id: 1, created: 4 }));
    const pick = (es: AuditLogRecord[]) => es.map((e) => [e.model, e.model_id, e.created]);
    expect(pick(await repo().listAudit({ model: 'Event' }))).toEqual([
      ['Event', 1, 4],
      ['Event', 2, 2],
      ['Event', 1, 1],
    ]);
    expect(pick(await repo().listAudit({ model: 'Event', modelId: 1 }))).toEqual([
      ['Event', 1, 4],
      ['Event', 1, 1],
    ]);
    expect(pick(await repo().listAudit({ modelId: 1 }))).toEqual([
      ['Event', 1, 4],
      ['User', 1, 3],
      ['Event', 1, 1],
    ]);
    expect(await repo().listAudit({ model: 'Tag' })).toEqual([]);
  });

  it('limits to the newest entries', async () => {
    for (let created = 1; created <= 5; created += 1) await repo().insertAudit(anAuditEntry({ created }));
    expect((await repo().listAudit({ limit: 2 })).map((e) => e.created)).toEqual([5, 4]);
    expect((await repo().listAudit({ limit: 2, model: 'Event' })).map((e) => e.created)).toEqual([5, 4]);
    expect(await repo().listAudit({ limit: 0 })).toEqual([]);
    expect(await repo().listAudit({ limit: -1 })).toEqual([]);
    expect(await repo().listAudit({ limit: Number.POSITIVE_INFINITY })).toHaveLength(5);
  });

  it('links every entry into a hash chain whose head moves with each write', async () => {
    expect(await repo().auditChainHead()).toEqual({ size: 0, hash: AUDIT_GENESIS });
    for (let i = 1; i <= 4; i++) await repo().insertAudit(anAuditEntry({ created: i, model_title: `entry ${String(i)}`, change: JSON.stringify({ n: i, text: 'üñí' }) }));
    const chain = await repo().listAuditChain(1, 100);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(chain[0]?.prev_hash).toBe(AUDIT_GENESIS);
    expect(chain[1]?.prev_hash).toBe(chain[0]?.hash);
    expect(chain[3]?.hash).toBe(auditEntryHash(chain[3] as AuditLogRecord));
    const verdict = verifyAuditChain(chain);
    expect(verdict).toEqual({ ok: true, size: 4, hash: chain[3]?.hash });
    expect(await repo().auditChainHead()).toEqual({ size: 4, hash: chain[3]?.hash });
    // A page from the middle verifies from the entry before it.
    expect(verifyAuditChain(await repo().listAuditChain(3, 2), { seq: 2, hash: chain[1]?.hash as string })).toMatchObject({ ok: true, size: 4 });
  });

  it('shows where the chain was tampered with: a changed field, a removed entry', async () => {
    for (let i = 1; i <= 5; i++) await repo().insertAudit(anAuditEntry({ created: i, model_title: `entry ${String(i)}` }));
    const { db } = getCtx();
    await db.updateTable('audit_logs').set({ model_title: 'rewritten history' }).where('seq', '=', 3).execute();
    expect(verifyAuditChain(await repo().listAuditChain(1, 100))).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('changed after it was written') });
    await db.updateTable('audit_logs').set({ model_title: 'entry 3' }).where('seq', '=', 3).execute();
    expect(verifyAuditChain(await repo().listAuditChain(1, 100))).toMatchObject({ ok: true, size: 5 });
    await db.deleteFrom('audit_logs').where('seq', '=', 4).execute();
    expect(verifyAuditChain(await repo().listAuditChain(1, 100))).toMatchObject({ ok: false, seq: 4, reason: expect.stringContaining('missing') });
  });
});
