import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { runCli } from '../test-support/run-cli.js';

type J = Record<string, unknown>;
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../ids/fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'cli-ingest-'));
const SLOW = 180_000;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spawnWaggle(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'waggle', ...process.argv.slice(1)]);`;
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script, ...args], { cwd: REPO, env: { ...process.env, ...env } });
}

const alert = (sec: number, port: number, src = '203.0.113.77'): string =>
  `${JSON.stringify({ timestamp: `2026-12-02T10:${String(Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}.000000+0000`, event_type: 'alert', src_ip: src, src_port: 40000, dest_ip: '192.0.2.10', dest_port: port, proto: 'TCP', alert: { gid: 1, signature_id: 2010937, rev: 3, signature: 'ET SCAN Suspicious inbound to mySQL port 3306', category: 'Potentially Bad Traffic', severity: 2 } }).replace('"event_type"', '"flow_id":1234567890123456789,"event_type"')}\n`;

describe('waggle ingest (in process)', () => {
  let srv: ListeningServer;
  beforeAll(async () => {
    srv = await startListeningServer();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('ingests a Suricata EVE file into events on the server, and a second run adds nothing', async () => {
    const args = ['ingest', 'suricata', join(FIXTURES, 'eve.json'), '--url', srv.url, '--key', srv.server.adminKey, '--source', 'dmz-sensor', '--json'];
    const first = await runCli(...args);
    expect(first.err).toMatch(/2 malformed or truncated lines skipped/);
    expect(first.err).toMatch(/line 11: truncated JSON record/);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.out) as { stats: J; report: J };
    expect(out.report).toEqual({ events: 1, eventsUpdated: 0, objects: 2, unchanged: 0, sightings: 0 });
    expect(out.stats).toMatchObject({ lines: 11, issueCount: 2, findings: 2 });
    const found = (await srv.server.call('POST', '/events/restSearch', { eventinfo: '%dmz-sensor%' })).json as { response: { Event: J }[] };
    expect(found.response).toHaveLength(1);
    const objects = (found.response[0]?.Event.Object ?? []) as J[];
    expect(objects.map((o) => o.name)).toEqual(['security-event', 'security-event']);

    const again = await runCli(...args);
    expect((JSON.parse(again.out) as { report: J }).report).toEqual({ events: 0, eventsUpdated: 0, objects: 0, unchanged: 2, sightings: 0 });
  });

  it('--dry-run prints findings without a server; a Zeek notice log works the same way', async () => {
    const r = await runCli('ingest', 'zeek', join(FIXTURES, 'notice.log'), '--dry-run', '--json', '--detector-version', '6.0.4');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { findings: J[] };
    expect(out.findings.map((f) => f.signature)).toEqual(['Scan::Port_Scan', 'SSH::Password_Guessing', 'SSL::Invalid_Server_Cert']);
    const human = await runCli('ingest', 'suricata', join(FIXTURES, 'eve.json'), '--dry-run');
    expect(human.out.trim().split('\n').map((l) => (JSON.parse(l) as J).signatureId)).toEqual(['2001219', '2024364']);
    expect(human.err).toMatch(/read 11 lines \(alert 3, flow 1, dns 1, http 1, tls 1, fileinfo 1, anomaly 1\): 2 findings/);
  });

  it('ingests a CICFlowMeter CSV', async () => {
    const r = await runCli('ingest', 'flows', join(FIXTURES, 'cicflowmeter.csv'), '--dry-run', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { stats: J }).stats).toMatchObject({ issueCount: 2, byType: { flow: 3 } });
  });

  it.each([
    [['ingest', 'suricata', join(tmp, 'missing.json'), '--dry-run'], /no such file/],
    [['ingest', 'suricata', tmp, '--dry-run'], /not a file/],
    [['ingest', 'suricata', join(FIXTURES, 'conn.log'), '--dry-run'], /no suricata records found: .*line 1: not JSON/],
    [['ingest', 'zeek', join(FIXTURES, 'cicflowmeter.csv'), '--dry-run'], /no zeek records found: .*not a Zeek log/],
    [['ingest', 'flows', join(FIXTURES, 'eve.json'), '--dry-run'], /column|missing/i],
    [['ingest', 'suricata', join(FIXTURES, 'eve.json')], /--url URL \(or WAGGLE_URL\) and --key KEY/],
    [['ingest', 'suricata', join(FIXTURES, 'eve.json'), '--dry-run', '--window', '0'], /--window must be a positive integer/],
    [['ingest', 'suricata', '-', '--follow', '--dry-run'], /--follow works on a Suricata or Zeek log file/],
  ])('fails clearly: %s', async (args, message) => {
    const env = { url: process.env.WAGGLE_URL, key: process.env.WAGGLE_KEY };
    delete process.env.WAGGLE_URL;
    delete process.env.WAGGLE_KEY;
    try {
      const r = await runCli(...args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    } finally {
      if (env.url !== undefined) process.env.WAGGLE_URL = env.url;
      if (env.key !== undefined) process.env.WAGGLE_KEY = env.key;
    }
  });

  it('a server that refuses the key fails with a clear message and non-zero exit', async () => {
    const r = await runCli('ingest', 'suricata', join(FIXTURES, 'eve.json'), '--url', srv.url, '--key', 'x'.repeat(40));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/HTTP 40[13]/);
  });
});

describe('waggle ingest (real CLI process)', () => {
  let srv: ListeningServer;
  beforeAll(async () => {
    srv = await startListeningServer();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('reads standard input with -', async () => {
    const child = spawnWaggle(['ingest', 'suricata', '-', '--dry-run', '--json']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(alert(1, 3306) + alert(2, 3306));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    const { findings } = JSON.parse(out) as { findings: J[] };
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ count: 2, flowIds: ['1234567890123456789', '1234567890123456789'] });
  }, SLOW);

  it('--follow picks up appended lines, survives truncation and rotation, and reports on SIGTERM', async () => {
    const log = join(tmp, 'follow-eve.json');
    writeFileSync(log, alert(0, 3306));
    const child = spawnWaggle(['ingest', 'suricata', log, '--follow', '--interval', '50', '--url', srv.url, '--source', 'follow-test', '--json'], { WAGGLE_KEY: srv.server.adminKey });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 1200 && !re.test(err); i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(err).toMatch(re);
    };
    try {
      await waitFor(/following/);
      // Generous pauses: copytruncate loses lines the follower had not read yet, as with `tail -F`.
      const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 1500));
      appendFileSync(log, alert(1, 3306) + alert(2, 3307));
      await pause();
      truncateSync(log, 0);
      appendFileSync(log, alert(3, 3308));
      await pause();
      renameSync(log, `${log}.1`);
      writeFileSync(log, alert(4, 3309, '198.51.100.5') + '{"timestamp":"2026-12-02T10:00:05');
      await pause();
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code, err).toBe(0);
      const result = JSON.parse(out) as { stats: J; report: J; restarts: number };
      expect(result.restarts).toBe(2);
      expect(result.stats).toMatchObject({ issueCount: 1, byType: { alert: 5 } });
      expect(result.report).toMatchObject({ events: 1, objects: 2 });
      const found = (await srv.server.call('POST', '/events/restSearch', { eventinfo: '%follow-test%' })).json as { response: { Event: J }[] };
      const objects = (found.response[0]?.Event.Object ?? []) as J[];
      const counts = objects.map((o) => ((o.Attribute as J[]).find((a) => a.object_relation === 'flow-count') as J).value).sort();
      expect(counts).toEqual(['1', '4']);
    } finally {
      child.kill('SIGKILL');
    }
  }, SLOW);
});
