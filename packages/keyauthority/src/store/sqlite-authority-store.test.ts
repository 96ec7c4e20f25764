import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../log/log-chain.js';
import type { LogRecord } from './authority-store.js';
import { openSqliteAuthorityStore } from './sqlite-authority-store.js';

const dirs: string[] = [];
const tempFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ka-store-'));
  dirs.push(dir);
  return join(dir, 'authority.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const record = (sub: string, outcome: LogRecord['outcome'] = 'issued'): LogRecord => ({
  at: '2026-12-02T10:00:00.000Z', outcome, sub, org: 'acme', attributes: [`user:${sub}`, 'epoch:2026-12'], keyId: outcome === 'issued' ? 'ab'.repeat(32) : null, epoch: '2026-12', expiresAt: '2027-01-01T00:00:00.000Z', reason: outcome === 'refused' ? 'revoked' : null,
});

describe('SQLite authority store', () => {
  it('keeps org attributes and revocations across reopen', () => {
    const file = tempFile();
    const a = openSqliteAuthorityStore(file);
    a.setOrgAttributes('acme', ['sector:energy'], '2026-12-01T00:00:00Z');
    a.setOrgAttributes('acme', ['country:BE', 'sector:energy'], '2026-12-02T00:00:00Z');
    const first = a.revoke({ kind: 'sub', value: 'mallory', revokedAt: '2026-12-02T01:00:00Z', reason: 'left' });
    expect(a.revoke({ kind: 'sub', value: 'mallory', revokedAt: '2026-12-03T01:00:00Z', reason: 'again' })).toEqual(first);
    a.close();
    const b = openSqliteAuthorityStore(file);
    expect(b.orgAttributes('acme')).toEqual(['country:BE', 'sector:energy']);
    expect(b.orgAttributes('other')).toEqual([]);
    expect(b.listOrgs()).toHaveLength(1);
    expect(b.revoked('sub', 'mallory')?.reason).toBe('left');
    expect(b.revoked('org', 'mallory')).toBeUndefined();
    expect(b.removeOrg('acme')).toBe(true);
    expect(b.removeOrg('acme')).toBe(false);
    b.close();
  });

  it('chains log rows; the chain detects a modified or removed row', () => {
    const file = tempFile();
    const s = openSqliteAuthorityStore(file);
    for (const sub of ['alice', 'bob', 'carol']) s.appendLog(record(sub));
    s.appendLog(record('mallory', 'refused'));
    const verdict = verifyChain(s.readLog());
    expect(verdict).toMatchObject({ ok: true, entries: 4 });
    expect(s.readLog({ fromSeq: 2, limit: 2 }).map((e) => e.sub)).toEqual(['bob', 'carol']);
    s.close();

    const raw = new Database(file);
    raw.prepare("UPDATE issuance_log SET attributes = '[\"user:bob\",\"role:admin\"]' WHERE seq = 2").run();
    raw.close();
    const t = openSqliteAuthorityStore(file);
    expect(verifyChain(t.readLog())).toMatchObject({ ok: false, badSeq: 2, problem: expect.stringMatching(/modified/) as unknown });
    t.close();

    const raw2 = new Database(file);
    raw2.prepare('DELETE FROM issuance_log WHERE seq = 2').run();
    raw2.close();
    const u = openSqliteAuthorityStore(file);
    expect(verifyChain(u.readLog())).toMatchObject({ ok: false, badSeq: 3, problem: expect.stringMatching(/removed/) as unknown });
    u.close();
  });
});
