import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDeployState } from '@waggle/honeypot';
import { startTestServer, type TestServer } from '../../../server/src/test-support/test-server.js';
import { runCli as inProcess } from '../test-support/run-cli.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'cli-honeypot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts the real CLI in a child process (sources through tsx). */
function spawnWaggle(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'waggle', ...process.argv.slice(1)]);`;
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script, ...args], { cwd: REPO, env: { ...process.env, ...env } });
}

function waggle(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnWaggle(args);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}


// Each child process compiles the CLI through tsx, which takes a while on a busy machine.
const SLOW = 180_000;

describe('waggle honeypot (real CLI process)', () => {
  it('profiles --json lists every profile with its CVEs and services', async () => {
    const r = await waggle('honeypot', 'profiles', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { name: string; cves: string[]; services: string[] }[];
    expect(list.find((p) => p.name === 'log4shell')).toMatchObject({ cves: ['CVE-2021-44228', 'CVE-2021-45046'], services: expect.arrayContaining(['http']) as unknown });
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(['ssh', 'telnet', 'redis', 'ftp', 'citrix-adc', 'libssh-auth-bypass']));
  }, SLOW);

  it('plan --event FILE shows the decision and its reason; bad caps are refused', async () => {
    const file = join(tmp, 'event.json');
    writeFileSync(file, JSON.stringify({ Event: { uuid: '0b7f0c1e-6b1a-4f7e-9d59-3f9b0f5c2a11', info: 'Citrix ADC exploited', Tag: [{ name: 'cve:CVE-2023-3519' }] } }));
    const json = await waggle('honeypot', 'plan', '--event', file, '--json', '--ports', '30000-30100');
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.out) as { decisions: { action: string; profile: string; port: number; reason: string }[] };
    expect(plan.decisions[0]).toMatchObject({ action: 'start', profile: 'citrix-adc' });
    expect(plan.decisions[0]?.port).toBeGreaterThanOrEqual(30000);
    const text = await inProcess('honeypot', 'plan', '--event', file);
    expect(text.out).toContain('START citrix-adc');
    expect(text.out).toContain('CVE-2023-3519 from tag cve:CVE-2023-3519');
    const bad = await inProcess('honeypot', 'plan', '--event', file, '--ports', '9000-8000');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--ports: "9000-8000" is not a port or port range');
    const missing = await inProcess('honeypot', 'plan', '--event', 'not-a-file');
    expect(missing.err).toContain('--event must be a MISP JSON file or an event UUID');
    const noUrl = await inProcess('honeypot', 'plan', '--event', '0b7f0c1e-6b1a-4f7e-9d59-3f9b0f5c2a11');
    expect(noUrl.err).toContain('--url is needed');
    const run = await inProcess('honeypot', 'run', '--profile', 'nope', '--listen', '127.0.0.1:1', '--log', join(tmp, 'x.json'));
    expect(run.err).toContain('Unknown honeypot profile "nope"');
    const listen = await inProcess('honeypot', 'run', '--profile', 'redis', '--listen', 'localhost', '--log', join(tmp, 'x.json'));
    expect(listen.err).toContain('--listen must be HOST:PORT');
  }, SLOW);

  it('list and approve work on the deployer state file', async () => {
    const state = join(tmp, 'state.json');
    writeDeployState(state, { version: 1, instances: [{ id: 'ab12cd34', profile: 'redis', host: '127.0.0.1', port: 6379, status: 'pending-approval', origin: { event_uuid: 'e-1', event_info: 'Redis worm' }, trigger: { kind: 'port', value: '6379' }, reason: 'port 6379 targeted', lifetime_ms: 60_000, created_at: '2026-12-02T00:00:00.000Z' }] });
    const list = await inProcess('honeypot', 'list', '--state', state);
    expect(list.out).toContain('ab12cd34  pending-approval');
    expect(list.out).toContain('"Redis worm"');
    const ok = await inProcess('honeypot', 'approve', 'ab12', '--state', state);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8')).instances[0].status).toBe('approved');
    const again = await inProcess('honeypot', 'approve', 'ab12', '--state', state);
    expect(again.err).toContain('is approved, not waiting for approval');
  });

  it('run serves a lure, logs the exploit, and reports it to waggle on SIGTERM', async () => {
    const server: TestServer = await startTestServer('sqlite');
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${String((server.app.server.address() as { port: number }).port)}`;
    const log = join(tmp, 'run', 'hp.json');
    const child = spawnWaggle(['honeypot', 'run', '--profile', 'apache-traversal', '--listen', '127.0.0.1:0', '--log', log, '--report-to', url, '--sensor', 'cli-test'], { WAGGLE_KEY: server.adminKey });
    try {
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const port = await new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line:\n${err}`)), 120_000);
        child.stderr.on('data', () => {
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
          if (m !== null) {
            clearTimeout(t);
            resolve(Number(m[1]));
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd', headers: { connection: 'close' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(0);
      const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.eventid === 'waggle.http.exploit')).toMatchObject({ cve: 'CVE-2021-41773', sensor: 'cli-test', src_ip: '127.0.0.1' });
      const found = (await server.call('POST', '/events/restSearch', { tags: ['cve:CVE-2021-41773'] })).json as { response: { Event: { info: string } }[] };
      expect(found.response.map((e) => e.Event.info)).toEqual([expect.stringContaining('Honeypot cli-test: activity from 127.0.0.1')]);
    } finally {
      child.kill('SIGKILL');
      await server.close();
    }
  }, SLOW);
});
