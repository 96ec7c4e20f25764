import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/waggle.js', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)));
const KEY = 'E2eTestKey0123456789abcdefghijklmnopqrst'.slice(0, 40);

function start(home: string): Promise<{ proc: ChildProcessWithoutNullStreams; url: string; log: string[] }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--data', home], { env: { ...process.env, WAGGLE_ADMIN_KEY: KEY } });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 20_000);
    proc.stderr.on('data', (d: Buffer) => {
      log.push(d.toString());
      const m = /listening on (http:\/\/[^\s]+)/.exec(log.join(''));
      if (m !== null) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] as string, log });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${String(code)}:\n${log.join('')}`)));
  });
}

const call = async (url: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: KEY, Accept: 'application/json', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe.skipIf(!BUILT)('waggle serve (real process, real HTTP on 127.0.0.1)', () => {
  const home = mkdtempSync(join(tmpdir(), 'waggle-e2e-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('starts, prints the admin key, serves PyMISP calls, and keeps acknowledged data after a kill -9', async () => {
    const first = await start(home);
    expect(first.log.join('')).toContain(`Admin API key (shown once, keep it): ${KEY}`);
    expect((await call(first.url, '/health')).status).toBe(200);
    const me = await call(first.url, '/users/view/me');
    expect(me.status).toBe(200);
    expect(me.json).toHaveProperty('User');
    expect(me.json).toHaveProperty('Role');
    const add = await call(first.url, '/events/add', { info: 'e2e', Attribute: [{ type: 'ip-dst', value: '203.0.113.77' }] });
    expect(add.status).toBe(200);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));

    const second = await start(home);
    try {
      expect(second.log.join('')).not.toContain('Admin API key');
      const found = await call(second.url, '/attributes/restSearch', { value: '203.0.113.77' });
      expect(((found.json.response as { Attribute: unknown[] }).Attribute).length).toBe(1);
    } finally {
      second.proc.kill('SIGTERM');
      await new Promise((r) => second.proc.once('exit', r));
    }
  });
});
