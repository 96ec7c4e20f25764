import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvent, EVENT_IDS } from './build-event.js';
import type { EventEnvelope } from './event.js';
import { createFanoutSink } from './fanout-sink.js';
import { createJsonLinesSink } from './json-lines-sink.js';
import { createMemorySink } from './memory-sink.js';
import { collectUpload } from './quarantine.js';
import { formatCowrieTimestamp } from './timestamp.js';

const envelope: EventEnvelope = { session: 'a1b2c3d4e5f6', src_ip: '203.0.113.7', src_port: 51234, dst_ip: '10.0.0.5', dst_port: 22, sensor: 'svr04', protocol: 'ssh' };
const at = new Date('2026-12-02T15:25:43.123Z');

describe('Cowrie event envelope', () => {
  it('formats timestamps as Cowrie does (microseconds, Z)', () => {
    expect(formatCowrieTimestamp(at)).toBe('2026-12-02T15:25:43.123000Z');
  });

  it('builds events with the envelope, Cowrie message and event fields', () => {
    expect(buildEvent('cowrie.login.failed', envelope, at, { username: 'root', password: '123456' })).toEqual({
      eventid: 'cowrie.login.failed',
      timestamp: '2026-12-02T15:25:43.123000Z',
      ...envelope,
      message: 'login attempt [root/123456] failed',
      username: 'root',
      password: '123456',
    });
    expect(buildEvent('cowrie.session.connect', envelope, at, {}).message).toBe('New connection: 203.0.113.7:51234 (10.0.0.5:22) [session: a1b2c3d4e5f6]');
    expect(buildEvent('cowrie.session.closed', envelope, at, { duration: 12.7 }).message).toBe('Connection lost after 12 seconds');
    expect(buildEvent('cowrie.command.input', envelope, at, { input: 'uname -a' }).message).toBe('CMD: uname -a');
  });

  it('lets direct-tcpip requests carry the requested addresses, as Cowrie logs them', () => {
    const e = buildEvent('cowrie.direct-tcpip.request', envelope, at, { dst_ip: '8.8.8.8', dst_port: 53, src_ip: '127.0.0.1', src_port: 4000 });
    expect(e).toMatchObject({ dst_ip: '8.8.8.8', dst_port: 53, src_ip: '127.0.0.1', session: envelope.session });
  });

  it('builds the typed exploit events of the HTTP lures and the SSH service', () => {
    const http = buildEvent('waggle.http.exploit', { ...envelope, protocol: 'http' }, at, {
      cve: 'CVE-2021-41773', profile: 'apache-traversal', detector: 'path-traversal', technique: 'T1190', evidence: ['path: /cgi-bin/.%2e/'], method: 'GET', url: '/cgi-bin/.%2e/.%2e/etc/passwd',
    });
    expect(http).toMatchObject({ eventid: 'waggle.http.exploit', protocol: 'http', cve: 'CVE-2021-41773', evidence: ['path: /cgi-bin/.%2e/'] });
    expect(http.message).toBe('Exploit attempt CVE-2021-41773 (path-traversal) on apache-traversal: GET /cgi-bin/.%2e/.%2e/etc/passwd');
    const ssh = buildEvent('waggle.ssh.exploit', envelope, at, { cve: 'CVE-2018-10933', technique: 'T1190', detector: 'libssh-bypass', evidence: ['a', 'b'] });
    expect(ssh).toEqual({ eventid: 'waggle.ssh.exploit', timestamp: '2026-12-02T15:25:43.123000Z', ...envelope, message: 'Exploit attempt CVE-2018-10933 (libssh-bypass): a; b', cve: 'CVE-2018-10933', technique: 'T1190', detector: 'libssh-bypass', evidence: ['a', 'b'] });
  });

  it('has a message for every documented event id', () => {
    expect(EVENT_IDS).toContain('cowrie.client.kex');
    expect(EVENT_IDS).toContain('waggle.redis.command');
    expect(EVENT_IDS).toEqual(expect.arrayContaining(['waggle.http.exploit', 'waggle.ssh.exploit']));
    expect(new Set(EVENT_IDS).size).toBe(EVENT_IDS.length);
  });
});

describe('sinks', () => {
  it('appends one JSON object per line and flushes on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'));
    const path = join(dir, 'sub', 'cowrie.json');
    const sink = createJsonLinesSink(path);
    sink.write(buildEvent('cowrie.command.input', envelope, at, { input: 'a\nb "c"' }));
    sink.write(buildEvent('cowrie.session.closed', envelope, at, { duration: 1 }));
    await sink.close();
    const again = createJsonLinesSink(path);
    again.write(buildEvent('cowrie.session.connect', envelope, at, {}));
    await again.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ input: 'a\nb "c"' });
    expect(lines.map((l) => (JSON.parse(l) as { eventid: string }).eventid)).toEqual(['cowrie.command.input', 'cowrie.session.closed', 'cowrie.session.connect']);
  });

  it('flushes within the event loop turn and reopens after move-style rotation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-'));
    const path = join(dir, 'cowrie.json');
    const sink = createJsonLinesSink(path);
    sink.write(buildEvent('cowrie.session.connect', envelope, at, {}));
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
    renameSync(path, `${path}.1`);
    sink.reopen();
    sink.write(buildEvent('cowrie.session.closed', envelope, at, { duration: 2 }));
    await sink.close();
    expect(readFileSync(path, 'utf8')).toContain('cowrie.session.closed');
    expect(readFileSync(`${path}.1`, 'utf8')).not.toContain('cowrie.session.closed');
    sink.write(buildEvent('cowrie.session.connect', envelope, at, {}));
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });

  it('fans out to every sink even when one throws, and bounds the memory sink', async () => {
    const memory = createMemorySink(2);
    const broken = { write: () => { throw new Error('disk full'); }, close: () => Promise.resolve() };
    const fan = createFanoutSink(broken, memory);
    for (let i = 0; i < 3; i += 1) fan.write(buildEvent('cowrie.command.input', envelope, at, { input: String(i) }));
    expect(memory.byId('cowrie.command.input').map((e) => e.input)).toEqual(['1', '2']);
    await expect(memory.waitFor((e) => e.eventid === 'cowrie.log.closed', 20)).rejects.toThrow('no matching event within 20 ms');
    await fan.close();
  });
});

describe('quarantine', () => {
  it('keeps at most the cap, in offset order, and stores read-only by hash once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'q-'));
    const u = collectUpload(dir, 10);
    u.write(4, Buffer.from('4567'));
    u.write(0, Buffer.from('0123'));
    u.push(Buffer.from('89ABCDEF'));
    const file = u.finish();
    expect(readFileSync(file.outfile, 'utf8')).toBe('0123456789');
    expect(file).toMatchObject({ size: 10, discarded: 6, duplicate: false });
    const again = collectUpload(dir, 10);
    again.push(Buffer.from('0123456789'));
    expect(again.finish()).toMatchObject({ duplicate: true, outfile: file.outfile });
    writeFileSync(join(dir, 'unrelated'), 'x');
    const noDir = collectUpload(undefined, 10);
    noDir.push(Buffer.from('abc'));
    expect(noDir.finish()).toMatchObject({ outfile: '', shasum: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
  });
});
