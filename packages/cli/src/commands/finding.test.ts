import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Secret } from '@waggle/errors';
import { createMispClient, type MispClient } from '@waggle/client';
import { findingToObject, fetchFindingObject, type Finding } from '@waggle/findings';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { runCli } from '../test-support/run-cli.js';

const A = '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e01';
const B = '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e02';
const C = '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e03';

const brute: Finding = {
  srcIp: '203.0.113.7', srcPort: 51234, dstIp: '192.0.2.10', dstPort: 22, protocol: 'tcp',
  firstSeen: '2026-12-02T10:00:00.000Z', lastSeen: '2026-12-02T10:04:30.000Z', signature: 'ET SCAN Potential SSH Scan', count: 240,
  attackType: { suricata: { version: '7.0.8', reference: 'sid:2001219', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.8 }] } },
};
const ping: Finding = { srcIp: '198.51.100.4', dstIp: '192.0.2.10', protocol: 'icmp', firstSeen: '2026-12-02T11:00:00.000Z', lastSeen: '2026-12-02T11:00:01.000Z', count: 2, attackType: { suricata: { version: '7.0.8', attacks: [{ attack_type: 'ping-sweep', confidence: 0.6 }] } } };

describe('waggle finding (in-process CLI against a real server)', () => {
  let srv: ListeningServer;
  let client: MispClient;
  let eventId: string;
  let tmp: string;
  const s = (): string[] => ['--url', srv.url, '--key', srv.server.adminKey];

  beforeAll(async () => {
    srv = await startListeningServer();
    tmp = mkdtempSync(join(tmpdir(), 'cli-finding-'));
    client = createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) });
    const ev = (await client.request('POST', '/events/add', { info: 'cli findings', distribution: 0, Object: [findingToObject(brute, { uuid: A }), findingToObject(ping, { uuid: B })] })) as { Event: { id: string } };
    eventId = ev.Event.id;
  });
  afterAll(async () => {
    await srv.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists findings of an event (JSON) and of the server (text)', async () => {
    const json = await runCli('finding', 'list', '--event', eventId, '--json', ...s());
    expect(json.code).toBe(0);
    const list = JSON.parse(json.out) as { uuid: string; confidence: number; topAttackType: string; verdict: string; event: string }[];
    expect(list.map((x) => [x.uuid, x.topAttackType, x.confidence, x.verdict, x.event])).toEqual([[A, 'ssh-brute-force', 0.8, 'unreviewed', eventId], [B, 'ping-sweep', 0.6, 'unreviewed', eventId]]);
    const text = await runCli('finding', 'list', ...s());
    expect(text.code).toBe(0);
    expect(text.out).toContain(`${A}  203.0.113.7:51234 -> 192.0.2.10:22/tcp  ssh-brute-force  confidence 0.8  count 240  unreviewed  [suricata]`);
    expect(text.out).toContain(B);
  });

  it('runs the cooperative detector once on an event and shows both entries', async () => {
    const r = await runCli('finding', 'cooperate', '--once', eventId, ...s());
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${A}  merged ssh-brute-force 0.7 (rule:ssh-brute-force); confidence 0.8 -> 0.94`);
    expect(r.out).toContain(`${B}  merged benign 0.5 (rule:single-ping); confidence 0.6 -> 0.3`);
    const show = await runCli('finding', 'show', A, ...s());
    expect(show.out).toContain('  suricata 7.0.8 sid:2001219: ssh-brute-force 0.8');
    expect(show.out).toContain('  waggle-rules 1 rule:ssh-brute-force: ssh-brute-force 0.7');
    const again = await runCli('finding', 'cooperate', '--once', eventId, '--json', ...s());
    expect(again.out.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['present', 'present']);
  });

  it('uses a rules file', async () => {
    const file = join(tmp, 'rules.yaml');
    writeFileSync(file, 'version: "9"\nrules:\n  - id: all-icmp\n    when: { protocol: icmp }\n    verdict: { attack_type: ping-sweep, confidence: 0.9 }\n');
    const ev = (await client.request('POST', '/events/add', { info: 'rules file', distribution: 0, Object: [findingToObject(ping, { uuid: C })] })) as { Event: { id: string } };
    const r = await runCli('finding', 'cooperate', '--once', ev.Event.id, '--rules', file, '--name', 'site-rules', ...s());
    expect(r.code).toBe(0);
    expect((await fetchFindingObject(client, C)).finding.attackType['site-rules']).toEqual({ version: '9', reference: 'rule:all-icmp', attacks: [{ attack_type: 'ping-sweep', confidence: 0.9 }] });
  });

  it('records verdicts and exports them as feedback lines', async () => {
    const v = await runCli('finding', 'verify', A, '--comment', 'seen in auth.log', '--analyst', 'alice', ...s());
    expect(v.code).toBe(0);
    expect(v.out).toBe(`${A} marked true-positive by alice\n`);
    const fp = await runCli('finding', 'false-positive', B, '--analyst', 'bob', ...s());
    expect(fp.code).toBe(0);
    const shown = JSON.parse((await runCli('finding', 'show', B, '--json', ...s())).out) as { verdict: string };
    expect(shown.verdict).toBe('false-positive');

    const file = join(tmp, 'feedback.jsonl');
    const r = await runCli('finding', 'feedback', '--out', file, ...s());
    expect(r.code).toBe(0);
    expect(r.err).toContain('wrote 2 labelled records');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { flowId: string; label: number; attackType: string });
    expect(lines.map((l) => [l.flowId, l.label, l.attackType]).sort()).toEqual([[A, 1, 'ssh-brute-force'], [B, 0, 'benign']]);
  });

  it.each([
    [['finding', 'list', '--key', 'k'], /--url URL or WAGGLE_URL/],
    [['finding', 'list', '--url', 'ftp://x', '--key', 'k'], /must be an http\(s\) URL/],
    [['finding', 'show', 'not-a-uuid'], /object UUID or numeric id/],
    [['finding', 'show', '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e99'], /HTTP 404/],
    [['finding', 'list', '--event', '1;2'], /--event must be an event id or UUID/],
    [['finding', 'verify', A, '--analyst', ' '], /analyst must be/],
    [['finding', 'cooperate', '--once', '1', '--rules', '/nonexistent/rules.yaml'], /--rules: cannot read/],
    [['finding', 'cooperate', '--since', 'yesterday'], /--since must be an event timestamp/],
    [['finding', 'cooperate', '--once', 'x y'], /event must be a numeric id or a UUID/],
    [['finding', 'feedback', '--out', '/tmp/x.jsonl', '--since', 'soon'], /since must be/],
  ])('fails clearly on %j', async (args, pattern) => {
    const withServer = args.includes('--url') || args.includes('--key') ? args : [...args, ...s()];
    const r = await runCli(...withServer);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(pattern);
    expect(r.out).toBe('');
  });

  it('rejects a bad rules file naming the problem', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'version: "1"\nrules:\n  - id: r\n    when: { dstPort: 70000 }\n    verdict: { attack_type: x, confidence: 0.5 }\n');
    const r = await runCli('finding', 'cooperate', '--once', eventId, '--rules', file, ...s());
    expect(r.code).toBe(1);
    expect(r.err).toContain(`--rules ${file}: rules: rules[0].when.dstPort[0] must be a port or a range`);
  });

  it('writes no feedback file when the export fails', async () => {
    const dir = mkdtempSync(join(tmp, 'fb-'));
    const file = join(dir, 'out.jsonl');
    const r = await runCli('finding', 'feedback', '--out', file, '--url', srv.url, '--key', 'wrong-key-wrong-key-wrong-key-wrong-key1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/HTTP 40[13]/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('follows the event stream until interrupted', async () => {
    // --since makes it catch up on start, so the finding is judged whether it arrives before or after the stream opens.
    const running = runCli('finding', 'cooperate', '--since', '1000000000', ...s());
    const D = '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e04';
    await client.request('POST', '/events/add', { info: 'streamed', distribution: 0, Object: [findingToObject(brute, { uuid: D })] });
    await vi.waitFor(async () => expect(Object.keys((await fetchFindingObject(client, D)).finding.attackType)).toContain('waggle-rules'), { timeout: 15_000, interval: 100 });
    process.emit('SIGINT');
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${D}  merged ssh-brute-force 0.7`);
    expect(r.err).toMatch(/stopped: \d+ events judged, \d+ findings annotated, 0 reconnects/);
  });
});
