import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';

describe('waggle admin log', () => {
  const home = mkdtempSync(join(tmpdir(), 'waggle-admin-log-'));
  const database = join(home, 'store.sqlite');
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  const run = async (...args: string[]): Promise<{ out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
    await buildProgram().parseAsync(['node', 'waggle', ...args, '--data', home, '--database', database]);
    vi.restoreAllMocks();
    return { out: out.join(''), err: err.join('') };
  };

  it('lists what the admin commands changed, newest first, and filters by model', async () => {
    await run('admin', 'org', 'add', 'LogOrg');
    await run('admin', 'user', 'add', 'analyst@logorg.test', '--org', 'LogOrg');
    const all = (await run('admin', 'log')).out.trim().split('\n');
    expect(all[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t-\t-\tadd\tUser \(\d+\): analyst@logorg\.test$/);
    expect(all.some((l) => /\tadd\tOrganisation \(\d+\): LogOrg$/.test(l))).toBe(true);
    // The first start created the admin user; then the one added here, on top.
    const users = (await run('admin', 'log', '--model', 'User')).out.trim().split('\n');
    expect(users.length).toBeGreaterThanOrEqual(1);
    expect(users.every((l) => l.includes('\tUser ('))).toBe(true);
    expect(users[0]).toContain('analyst@logorg.test');
    expect((await run('admin', 'log', '--limit', '1')).out.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a bad limit and an unknown event with a clear error', async () => {
    await expect(run('admin', 'log', '--limit', '0')).rejects.toThrow('--limit must be a positive integer');
    await expect(run('admin', 'log', '--event', '4242')).rejects.toThrow('No event 4242');
  });

  it('verifies the hash chain of the log, and reports the first forged entry', async () => {
    await run('admin', 'org', 'add', 'ChainOrg');
    const ok = await run('admin', 'log', '--verify');
    expect(ok.out).toMatch(/^audit chain intact: \d+ entries, head [0-9a-f]{64}\n$/);
    expect(process.exitCode ?? 0).toBe(0);
    const { openSqlStore } = await import('@waggle/store');
    const store = await openSqlStore({ url: database });
    await store.connection.db.updateTable('audit_logs').set({ change: 'forged' }).where('seq', '=', 1).execute();
    await store.close();
    const broken = await run('admin', 'log', '--verify');
    expect(broken.out).toContain('audit chain broken at entry 1');
    expect(process.exitCode).toBe(1);
  });
});
