import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/waggle.js', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)));
const KEY = 'ServersE2eKey0123456789abcdefghijklmnopq'.slice(0, 40);

function waggle(home: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', home], { env: { ...process.env, WAGGLE_ADMIN_KEY: KEY, WAGGLE_SYNC_INTERVAL: '0' }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function serve(home: string): Promise<{ proc: ChildProcessWithoutNullStreams; url: string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--data', home], { env: { ...process.env, WAGGLE_ADMIN_KEY: KEY, WAGGLE_SYNC_INTERVAL: '0' } });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    proc.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] as string });
      }
    });
  });
}

describe.skipIf(!BUILT)('waggle servers (two instances, real processes)', () => {
  const homeA = mkdtempSync(join(tmpdir(), 'waggle-sync-a-'));
  const homeB = mkdtempSync(join(tmpdir(), 'waggle-sync-b-'));
  afterAll(() => {
    rmSync(homeA, { recursive: true, force: true });
    rmSync(homeB, { recursive: true, force: true });
  });

  it('adds a server, tests it, pulls published events and keeps org-only ones home', async () => {
    // A's operator creates B's organisation and a sync user for B.
    expect(waggle(homeA, 'admin', 'org', 'add', 'PartnerB', '--external').code).toBe(0);
    const syncKey = waggle(homeA, 'admin', 'user', 'add', 'sync@partnerb.test', '--org', 'PartnerB', '--role', '5');
    expect(syncKey.code, syncKey.err).toBe(0);
    const a = await serve(homeA);
    try {
      const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
        const res = await fetch(`${a.url}${path}`, { method: 'POST', headers: { Authorization: KEY, Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
        return (await res.json()) as Record<string, unknown>;
      };
      for (const [info, distribution] of [['shared with all', '3'], ['our eyes only', '0']] as const) {
        const ev = (await post('/events/add', { info, distribution, Attribute: [{ type: 'domain', value: `${distribution}.sync-e2e.example` }] })).Event as { id: string };
        await post(`/events/publish/${ev.id}`, {});
      }
      const add = waggle(homeB, 'servers', 'add', 'A', '--url', a.url, '--key', syncKey.out.trim(), '--pull');
      expect(add.code, add.err).toBe(0);
      expect(waggle(homeB, 'servers', 'list').out).toMatch(/\tA\t.*\tpull\t/);
      const test = waggle(homeB, 'servers', 'test', 'A');
      expect(test.code, test.out + test.err).toBe(0);
      const pulled = waggle(homeB, 'servers', 'pull', 'A');
      expect(pulled.code, pulled.out + pulled.err).toBe(0);
      expect(pulled.out).toMatch(/1 created/);
      const again = waggle(homeB, 'servers', 'pull', 'A');
      expect(again.out).toMatch(/0 created, 0 updated/);
      const exported = waggle(homeB, 'export');
      expect(exported.out).toContain('shared with all');
      expect(exported.out).not.toContain('our eyes only');
      expect(waggle(homeB, 'servers', 'log', 'A').out).toMatch(/pull/);
    } finally {
      a.proc.kill('SIGTERM');
      await new Promise((r) => a.proc.once('exit', r));
    }
    // Ten waggle processes one after the other: 20 s on a quiet machine, over 30 s under the full suite.
  }, 90_000);

  it('fails clearly for an unknown server and an unreachable one', () => {
    expect(waggle(homeB, 'servers', 'pull', 'nope').err).toMatch(/No server "nope"/);
    expect(waggle(homeB, 'servers', 'add', 'dead', '--url', 'http://127.0.0.1:9', '--key', 'x'.repeat(40), '--pull').code).toBe(0);
    const r = waggle(homeB, 'servers', 'pull', 'dead');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/unavailable|refused|ECONNREFUSED/i);
  });
});
