import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/test-server.js';
import { main } from '../main.js';
import { uuidV5 } from './risk-host.js';
import { watchHostRisk } from './risk-watch.js';
import { runCli as waggle } from '../test-support/run-cli.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIX = fileURLToPath(new URL('../../../inventory/data/fixtures/', import.meta.url));
const HOST = 'web01.example.test';
const tmp = mkdtempSync(join(tmpdir(), 'cli-risk-evidence-'));
// The test server's clock starts in November 2023: a window of ten years keeps its sightings and alerts in.
const WINDOW = ['--evidence-days', '3650'];
const FILES = ['--dpkg-status', `${FIX}dpkg-status`, '--osv', `${FIX}osv`, '--kev', `${FIX}kev.json`, '--epss', `${FIX}epss.csv`, '--listening', `${FIX}listening.json`, '--host', HOST];


interface Vuln { id: string; probability: number; factors: { name: string; reason: string }[] }
const riskJson = (out: string): { probability: number; vulnerabilities: Vuln[]; notes: string[] } => JSON.parse(out) as never;

describe('waggle risk host --evidence-from / risk watch (against a running waggle server)', { timeout: 120_000 }, () => {
  let s: TestServer;
  let url: string;

  beforeAll(async () => {
    s = await startTestServer('sqlite');
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
    // A honeypot saw CVE-2024-6387 being exploited; a partner sighted that attribute.
    const hp = await s.call('POST', '/events/add', {
      info: 'Honeypot web-lure: activity from 198.51.100.9', distribution: '1',
      Tag: [{ name: 'cve:CVE-2024-6387' }, { name: 'waggle:honeypot-sensor="web-lure"' }],
      Attribute: [{ type: 'vulnerability', category: 'External analysis', value: 'CVE-2024-6387', comment: 'exploit attempt recognised by the honeypot', to_ids: false }],
    });
    expect(hp.status, hp.text).toBe(200);
    const attr = ((hp.json as J).Event.Attribute as J[]).find((a) => a.type === 'vulnerability') as J;
    const sight = await s.call('POST', '/sightings/add', { id: attr.uuid, type: 0, source: 'partner-ids' });
    expect(sight.status, sight.text).toBe(200);
    // The host agent reported a brute force followed by a login on this host (as alertsToEvent writes it).
    const agent = await s.call('POST', '/events/add', {
      info: `Host agent alerts on ${HOST} (2026-12-02)`, distribution: '0', threat_level_id: '1', analysis: '0',
      Tag: [{ name: 'waggle:source="host-agent"' }, { name: `waggle:host="${HOST}"` }, { name: 'misp-galaxy:mitre-attack-pattern="Valid Accounts - T1078"' }],
      Attribute: [
        { type: 'text', category: 'Other', value: 'accepted login for root from 203.0.113.5 after 6 failures', comment: 'login-after-failures (high): accepted login for root from 203.0.113.5 after 6 failures', Tag: [{ name: 'waggle:agent-rule="login-after-failures"' }] },
        { type: 'ip-src', category: 'Network activity', value: '203.0.113.5', to_ids: true, comment: 'login-after-failures (high): accepted login for root from 203.0.113.5 after 6 failures', Tag: [{ name: 'waggle:agent-rule="login-after-failures"' }] },
      ],
    });
    expect(agent.status, agent.text).toBe(200);
    // A threat actor of the host's sector exploits public-facing applications.
    const apt = await s.call('POST', '/events/add', {
      info: 'FIN7 against retailers', distribution: '1',
      Tag: [{ name: 'misp-galaxy:sector="Retail"' }, { name: 'misp-galaxy:threat-actor="FIN7"' }, { name: 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"' }],
      Attribute: [{ type: 'domain', category: 'Network activity', value: 'fin7-c2.example.net' }],
    });
    expect(apt.status, apt.text).toBe(200);
  });
  afterAll(async () => {
    s.app.server.closeAllConnections();
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('raises the figure with sightings, alerts and sector actors from the server, and explains each', async () => {
    const plain = await waggle('risk', 'host', ...FILES, '--json');
    expect(plain.code, plain.err).toBe(0);
    const withEvidence = await waggle('risk', 'host', ...FILES, '--json', '--evidence-from', url, '--key', s.adminKey, '--sector', 'Retail', ...WINDOW);
    expect(withEvidence.code, withEvidence.err).toBe(0);
    const before = riskJson(plain.out);
    const after = riskJson(withEvidence.out);
    expect(after.probability).toBeGreaterThan(before.probability);
    const ssh = (r: typeof before): Vuln => r.vulnerabilities.find((v) => v.id === 'CVE-2024-6387') as Vuln;
    expect(ssh(after).probability).toBeGreaterThan(ssh(before).probability);
    const reasons = ssh(after).factors.map((f) => `${f.name}: ${f.reason}`);
    expect(reasons.find((r) => r.startsWith('sighting:'))).toMatch(/2 exploitation sighting\(s\) of CVE-2024-6387.*sighting on CVE-2024-6387 in event "Honeypot web-lure: activity from 198\.51\.100\.9".*exploitation of CVE-2024-6387 reported in event "Honeypot web-lure/);
    expect(reasons.find((r) => r.startsWith('alert:'))).toMatch(/intrusion alerts on this host \(login-after-failures \(high\)\).*from event "Host agent alerts on web01\.example\.test \(2026-12-02\)"/);
    expect(reasons.find((r) => r.startsWith('actor-technique:'))).toMatch(/FIN7 use T1190 \(Exploit Public-Facing Application\).*FIN7 in event "FIN7 against retailers"/);
    // A local-only vulnerability gets no host-alert update (only what the network reaches does).
    const local = after.vulnerabilities.find((v) => v.factors.some((f) => f.name === 'exposure' && f.reason.startsWith('local')));
    if (local !== undefined) expect(local.factors.map((f) => f.name)).not.toContain('alert');
    // Merged with a file: the file's sighting adds to the server's.
    const file = join(tmp, 'evidence.json');
    writeFileSync(file, JSON.stringify({ sightings: [{ cve: 'CVE-2024-6387', count: 1, sources: ['our own IDS, 2026-12-01'] }] }));
    const merged = riskJson((await waggle('risk', 'host', ...FILES, '--json', '--evidence', file, '--evidence-from', url, '--key', s.adminKey, ...WINDOW)).out);
    expect(ssh(merged).factors.find((f) => f.name === 'sighting')?.reason).toMatch(/^3 exploitation sighting\(s\) of CVE-2024-6387 .*our own IDS, 2026-12-01/);
    const human = await waggle('risk', 'host', ...FILES, '--evidence-from', url, '--key', s.adminKey, ...WINDOW);
    expect(human.code, human.err).toBe(0);
    expect(human.out).toMatch(/^CVE-2024-6387\s+0\.\d+\s+0\.4103\s+yes\s+network\s+\S+\s+epss 0\.410 × kev 1\.71 × exposure 1\.00 × sighting 1\.\d+ × alert 1\.\d+$/m);
  });

  it('rejects bad server options before doing anything', async () => {
    expect((await waggle('risk', 'host', ...FILES, '--evidence-from', url)).err).toMatch(/--evidence-from needs --key/);
    expect((await waggle('risk', 'host', ...FILES, '--evidence-from', 'not a url', '--key', 'k')).err).toMatch(/--evidence-from is not a URL/);
    expect((await waggle('risk', 'host', ...FILES, '--sector', 'Retail')).err).toMatch(/--sector needs --evidence-from/);
    expect((await waggle('risk', 'host', ...FILES, '--evidence-from', url, '--key', 'k', '--evidence-days', '0')).err).toMatch(/--evidence-days must be a whole number/);
    const refused = await waggle('risk', 'host', ...FILES, '--evidence-from', url, '--key', 'x'.repeat(40));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refused the key \(HTTP 40[13]\)/);
    const down = await waggle('risk', 'host', ...FILES, '--evidence-from', 'http://127.0.0.1:9', '--key', 'k'.repeat(40));
    expect(down.code).not.toBe(0);
    expect(down.err).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    expect((await waggle('risk', 'watch', ...FILES)).err).toMatch(/required option '--report-to <url>'/);
    expect((await waggle('risk', 'watch', ...FILES, '--report-to', url, '--key', 'k', '--min-interval', 'soon')).err).toMatch(/--min-interval must be a number of seconds/);
    expect((await waggle('risk', 'watch', ...FILES, '--report-to', url)).err).toMatch(/--report-to needs --key/);
  });

  it('risk watch updates the host risk event when a new exploitation report for one of its CVEs arrives, and not for its own writes', async () => {
    const uuid = uuidV5(`waggle:risk-host:${HOST}`);
    // The vulnerability's own figure, from its object's comment ("waggle host risk: p=…"): the host figure is near 1 already.
    const apacheP = async (): Promise<number> => {
      const ev = ((await s.call('GET', `/events/view/${uuid}`)).json as J).Event as J;
      const o = (ev.Object as J[]).find((x) => (x.Attribute as J[]).some((a) => a.value === 'CVE-2024-38476')) as J;
      return Number(/p=([0-9.e-]+)/.exec(String(o.comment))?.[1]);
    };
    const probabilityOf = async (): Promise<number> => {
      const ev = ((await s.call('GET', `/events/view/${uuid}`)).json as J).Event as J;
      return Number(((ev.Attribute as J[]).find((a) => a.type === 'float') as J).value);
    };
    const log: string[] = [];
    const reports: { reason: string; probability: number }[] = [];
    const abort = new AbortController();
    const opts = { dpkgStatus: `${FIX}dpkg-status`, osv: `${FIX}osv`, kev: `${FIX}kev.json`, epss: `${FIX}epss.csv`, listening: `${FIX}listening.json`, host: HOST, reportTo: url, minInterval: '1', evidenceDays: '3650' };
    const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await ok())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${log.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const done = watchHostRisk(opts, s.adminKey, { signal: abort.signal, log: (l) => log.push(l), onReport: (r) => reports.push(r) });
    try {
      await waitFor('the first report and the stream', () => reports.length >= 1 && log.some((l) => l.startsWith('listening to')));
      expect(reports[0]?.reason).toBe('start');
      const first = await probabilityOf();
      const apacheBefore = await apacheP();
      expect(first).toBeCloseTo(reports[0]?.probability ?? -1, 5);
      // Its own report must not make it run again.
      await new Promise((r) => setTimeout(r, 2500));
      expect(reports).toHaveLength(1);

      // A second honeypot report, this time for apache2's CVE-2024-38476.
      const added = await s.call('POST', '/events/add', {
        info: 'Honeypot web-lure: activity from 198.51.100.23', distribution: '1',
        Tag: [{ name: 'waggle:honeypot-sensor="web-lure"' }],
        Attribute: [{ type: 'vulnerability', category: 'External analysis', value: 'CVE-2024-38476', comment: 'exploit attempt recognised by the honeypot' }],
      });
      expect(added.status, added.text).toBe(200);
      await waitFor('a reassessment', () => reports.length >= 2, 10_000);
      expect(reports[1]?.reason).toMatch(/^event [0-9a-f-]{36} names CVE-2024-38476$/);
      const second = await probabilityOf();
      expect(second).toBeGreaterThanOrEqual(first);
      expect(await apacheP()).toBeGreaterThan(apacheBefore);
      const view = ((await s.call('GET', `/events/view/${uuid}`)).json as J).Event as J;
      const apache = (view.Object as J[]).find((o) => (o.Attribute as J[]).some((a) => a.value === 'CVE-2024-38476')) as J;
      expect(((apache.Attribute as J[]).find((a) => a.object_relation === 'description') as J).value).toMatch(/sighting: 1 exploitation sighting\(s\) of CVE-2024-38476.*198\.51\.100\.23/);
      // Unrelated news does nothing.
      await s.call('POST', '/events/add', { info: 'Unrelated', distribution: '1', Attribute: [{ type: 'vulnerability', value: 'CVE-2001-0001' }] });
      await new Promise((r) => setTimeout(r, 2000));
      expect(reports).toHaveLength(2);
    } finally {
      abort.abort();
      await done;
    }
    expect(log.filter((l) => /assessment failed/.test(l))).toEqual([]);
  });

  it('waggle risk watch (the command) reports at start and exits cleanly on SIGTERM', async () => {
    const err: string[] = [];
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => err.push(String(c)) > 0);
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const running = main(['node', 'waggle', 'risk', 'watch', ...FILES, ...WINDOW, '--report-to', url, '--key', s.adminKey, '--min-interval', '1']);
      const end = Date.now() + 20_000;
      while (!(err.join('').includes('report updated') && err.join('').includes('listening to'))) {
        if (Date.now() > end) throw new Error(`risk watch did not report:\n${err.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.emit('SIGTERM');
      expect(await running).toBe(0);
      expect(err.join(''), err.join('')).toMatch(/start: web01\.example\.test compromise probability 0\.\d{6}; report updated \(event \d+\)/);
      expect(err.join('')).toMatch(/risk watch stopped\n$/);
      expect(process.listeners('SIGTERM')).toHaveLength(0);
    } finally {
      e.mockRestore();
      o.mockRestore();
      process.exitCode = 0;
    }
  });
});
