import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@waggle/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEvent } from '../../../honeypot/src/log/build-event.js';
import { honeypotSessionsToFlows, readHoneypotFlows } from './honeypot-flows.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/cowrie-sample.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waggle-flows-hp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ev(eventid: string, session: string, at: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ eventid, timestamp: at, session, src_ip: '203.0.113.9', src_port: 40000, dst_ip: '10.0.0.2', dst_port: 22, sensor: 's', protocol: 'ssh', ...extra });
}

describe('honeypot sessions to flows', () => {
  it('turns a realistic Cowrie log into one attack flow per session with behaviour classes', async () => {
    const { flows, badLines } = await readHoneypotFlows(FIXTURE);
    expect(flows.map((f) => [f.flowId, f.attackType])).toEqual([
      ['a1b2c3d4e5f6', 'ssh-bruteforce'],
      ['0f0e0d0c0b0a', 'telnet-intrusion'],
      ['112233445566', 'http-exploit'],
      ['aabbccddeeff', 'scan'],
      ['998877665544', 'redis-exploit'],
    ]);
    expect(flows.every((f) => f.label === 1 && f.protocol === 'tcp')).toBe(true);
    const ssh = flows[0];
    expect(ssh).toMatchObject({ srcIp: '203.0.113.45', srcPort: 51234, dstIp: '10.0.5.2', dstPort: 2222, service: 'ssh', durationMs: 4333 });
    expect(ssh?.ts).toBe(Date.parse('2026-12-02T15:25:43.123Z'));
    // 3 handshake/teardown + 1 version + 3 kex + 1 service request + 3 login attempts.
    expect(ssh?.fwdPackets).toBe(11);
    expect(ssh?.fwdBytes).toBe(40 + 1600 + 64 + 3 * 96 + 'root123456adminadminubuntuubuntu'.length + 11 * 52);
    // The unfinished Redis session runs to its last event.
    expect(flows[4]?.durationMs).toBe(100);
    expect(badLines.map((b) => [b.line, b.reason])).toEqual([
      [21, 'not JSON'],
      [22, 'not JSON'],
      [23, 'no valid timestamp'],
    ]);
  });

  it('reflects effort: more login attempts give more packets and bytes', () => {
    const few = honeypotSessionsToFlows([
      ev('cowrie.session.connect', 's1', '2026-12-02T10:00:00.000000Z'),
      ev('cowrie.login.failed', 's1', '2026-12-02T10:00:01.000000Z', { username: 'root', password: 'a' }),
    ]).flows[0];
    const many = honeypotSessionsToFlows([
      ev('cowrie.session.connect', 's1', '2026-12-02T10:00:00.000000Z'),
      ...Array.from({ length: 5 }, (_, i) => ev('cowrie.login.failed', 's1', `2026-12-02T10:00:0${i + 1}.000000Z`, { username: 'root', password: 'a' })),
    ]).flows[0];
    expect(many!.fwdPackets).toBeGreaterThan(few!.fwdPackets);
    expect(many!.fwdBytes).toBeGreaterThan(few!.fwdBytes);
    expect(few?.durationMs).toBe(1000);
  });

  it('keeps envelope addresses when a direct-tcpip request comes first and classifies exploits', () => {
    const { flows } = honeypotSessionsToFlows([
      ev('cowrie.direct-tcpip.request', 's2', '2026-12-02T10:00:00.000000Z', { src_ip: '', dst_ip: '8.8.8.8', dst_port: 53 }),
      ev('waggle.ssh.exploit', 's2', '2026-12-02T10:00:01.000000Z', { cve: 'CVE-2024-6387' }),
    ]);
    expect(flows[0]).toMatchObject({ srcIp: '203.0.113.9', dstIp: '10.0.0.2', dstPort: 22, attackType: 'ssh-exploit' });
  });

  it("reads the events @waggle/honeypot's own event builder writes", () => {
    const envelope = { session: 'c0ffee000001', src_ip: '192.0.2.10', src_port: 50000, dst_ip: '10.0.5.2', dst_port: 2223, sensor: 'eu-1', protocol: 'telnet' };
    const at = (s: number): Date => new Date(Date.UTC(2026, 11, 2, 12, 0, s));
    const lines = [
      buildEvent('cowrie.session.connect', envelope, at(0), {}),
      buildEvent('cowrie.login.failed', envelope, at(1), { username: 'admin', password: '1234' }),
      buildEvent('cowrie.login.failed', envelope, at(2), { username: 'admin', password: 'admin' }),
      buildEvent('cowrie.session.closed', envelope, at(3), { duration: 3 }),
      buildEvent('cowrie.session.connect', { ...envelope, session: 'c0ffee000002', protocol: 'ftp', dst_port: 21 }, at(5), {}),
      buildEvent('waggle.ftp.login.failed', { ...envelope, session: 'c0ffee000002', protocol: 'ftp', dst_port: 21 }, at(6), { username: 'anonymous', password: 'x' }),
    ].map((e) => JSON.stringify(e));
    const { flows, badLines } = honeypotSessionsToFlows(lines);
    expect(badLines).toEqual([]);
    expect(flows.map((f) => [f.attackType, f.dstPort, f.durationMs, f.ts])).toEqual([
      ['telnet-bruteforce', 2223, 3000, at(0).getTime()],
      ['ftp-bruteforce', 21, 1000, at(5).getTime()],
    ]);
    // Telnet: 3 + 2 negotiation + 2 per attempt; 4 + 2·4 + credential bytes + 52 per packet.
    expect(flows[0]).toMatchObject({ fwdPackets: 9, fwdBytes: 30 + 8 + 'admin1234adminadmin'.length + 9 * 52 });
  });

  it('reports a missing log as NotFoundError and accepts a stream', async () => {
    await expect(readHoneypotFlows(join(dir, 'nope.json'))).rejects.toBeInstanceOf(NotFoundError);
    const path = join(dir, 'log.json');
    writeFileSync(path, `${ev('cowrie.session.connect', 's3', '2026-12-02T10:00:00.000000Z')}\n\n`);
    const viaStream = await readHoneypotFlows((async function* () {
      yield `${ev('cowrie.session.connect', 's3', '2026-12-02T10:00:00.000000Z')}\n`;
    })());
    expect(viaStream.flows).toEqual((await readHoneypotFlows(path)).flows);
    expect(viaStream.flows[0]?.attackType).toBe('scan');
  });
});
