import { expect, it } from 'vitest';
import type { AuditLogRecord, New } from '@waggle/core';
import { forEachEngine } from '../test-support/engines.js';
import { auditRepository } from './audit.js';

function anAuditEntry(overrides: Partial<New<AuditLogRecord>> = {}): New<AuditLogRecord> {
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
    expect(all[0]).toEqual({ ...anAuditEntry({ created: 300, model_title: 'd' }), id: expect.any(Number) });
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
});
