import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidV5 } from './risk-host.js';

const BIN = fileURLToPath(new URL('../../bin/waggle.js', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../../dist/commands/risk-host.js', import.meta.url)));
const FIX = fileURLToPath(new URL('../../../inventory/data/fixtures/', import.meta.url));
const KEY = 'RiskHostE2eKey0123456789abcdefghijklmnop'.slice(0, 40);
const HOST_ARGS = ['--dpkg-status', `${FIX}dpkg-status`, '--osv', `${FIX}osv`, '--kev', `${FIX}kev.json`, '--epss', `${FIX}epss.csv`, '--listening', `${FIX}listening.json`, '--host', 'web01.example.test'];

function waggle(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, WAGGLE_REPORT_KEY: '' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function serve(home: string): Promise<{ proc: ChildProcessWithoutNullStreams; url: string }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--data', home], { env: { ...process.env, WAGGLE_ADMIN_KEY: KEY, WAGGLE_SYNC_INTERVAL: '0' } });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    proc.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ proc, url: m[1] as string });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${String(code)}:\n${log}`)));
  });
}

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 vector', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

// Each CLI start loads the whole program (several seconds on a busy machine), hence the long timeouts.
describe.skipIf(!BUILT)('waggle inventory / risk host (real CLI process)', { timeout: 180_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'waggle-risk-host-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists the inventory with source packages', () => {
    const r = waggle('inventory', '--dpkg-status', `${FIX}dpkg-status`, '--packages', `${FIX}software-list.txt`);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^libssl3\s+3\.0\.11-1~deb12u2\s+amd64\s+openssl\s+3\.0\.11-1~deb12u2\s+Debian$/m);
    expect(r.out).toMatch(/32 installed packages, 6 other software items/);
    const j = JSON.parse(waggle('inventory', '--dpkg-status', `${FIX}dpkg-status`, '--json').out) as { packages: { name: string; source: string }[] };
    expect(j.packages.find((p) => p.name === 'login')?.source).toBe('shadow');
  });

  it('prints the host probability with its explanation', () => {
    const r = waggle('risk', 'host', ...HOST_ARGS);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/host web01\.example\.test: compromise probability 0\.99\d\d \(next 30 days, noisy-OR of 16 vulnerabilities\)/);
    expect(r.out).toMatch(/^CVE-2024-6387\s+0\.7000\s+0\.4103\s+yes\s+network\s+openssh-client,openssh-server,openssh-sftp-server\s+epss 0\.410 × kev 1\.71 × exposure 1\.00$/m);
    expect(r.out).toMatch(/1\. apache2 → 2\.4\.61-1~deb12u1/);
  });

  it('gives JSON whose figures add up', () => {
    const r = waggle('risk', 'host', ...HOST_ARGS, '--json');
    const j = JSON.parse(r.out) as { probability: number; vulnerabilities: { probability: number; factors: { multiplier: number }[] }[] };
    expect(1 - j.vulnerabilities.reduce((a, v) => a * (1 - v.probability), 1)).toBeCloseTo(j.probability, 12);
    for (const v of j.vulnerabilities) expect(v.factors.reduce((a, f) => a * f.multiplier, 1)).toBeCloseTo(v.probability, 12);
  });

  it('fails clearly on bad input', () => {
    expect(waggle('risk', 'host', '--dpkg-status', `${FIX}dpkg-status`).err).toMatch(/required option '--osv <path>'/);
    expect(waggle('risk', 'host', ...HOST_ARGS, '--release', 'bookworm').err).toMatch(/--release must look like Debian:12/);
    expect(waggle('risk', 'host', ...HOST_ARGS, '--proc').err).toMatch(/either --listening FILE or --proc/);
    expect(waggle('risk', 'host', ...HOST_ARGS, '--report-to', 'http://127.0.0.1:9').err).toMatch(/--report-to needs --key/);
    const missing = waggle('inventory', '--dpkg-status', join(tmp, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read dpkg status .*nope/);
    const bad = join(tmp, 'bad-list.txt');
    writeFileSync(bad, 'pkg:npm/a@1\nnot-a-thing\n');
    expect(waggle('inventory', '--dpkg-status', `${FIX}dpkg-status`, '--packages', bad).err).toMatch(/line 2: "not-a-thing" is neither/);
    const broken = waggle('risk', 'host', ...HOST_ARGS.map((a) => (a === `${FIX}osv` ? `${FIX}osv-broken` : a)));
    expect(broken.code).toBe(0);
    expect(broken.err).toMatch(/warning: OSV .*no-introduced\.json: .*has no "introduced" event \(skipped\)/);
  });

  it('uses /proc when asked and says what it could not read', () => {
    const r = waggle('risk', 'host', ...HOST_ARGS.filter((a, i, all) => a !== '--listening' && all[i - 1] !== '--listening'), '--proc', '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { exposureKnown: boolean }).exposureKnown).toBe(true);
  });

  it('reports to a real waggle server through the MISP API, and updates the same event on re-run', async () => {
    const home = join(tmp, 'server');
    const server = await serve(home);
    try {
      const first = waggle('risk', 'host', ...HOST_ARGS, '--report-to', server.url, '--key', KEY);
      expect(first.code, first.err).toBe(0);
      expect(first.err).toMatch(/report created: event \d+/);
      const uuid = uuidV5('waggle:risk-host:web01.example.test');
      const view = async (): Promise<{ Event: { uuid: string; info: string; Attribute: { type: string; value: string }[]; Object: { name: string; deleted?: boolean; Attribute: { object_relation: string; value: string }[] }[]; Tag?: { name: string }[] } }> => {
        const res = await fetch(`${server.url}/events/view/${uuid}`, { headers: { Authorization: KEY, Accept: 'application/json' } });
        expect(res.status).toBe(200);
        return (await res.json()) as never;
      };
      const ev = (await view()).Event;
      expect(ev.uuid).toBe(uuid);
      expect(ev.info).toMatch(/^Host risk report: web01\.example\.test \(compromise probability 0\.99\d\d\)$/);
      const vulns = ev.Object.filter((o) => o.name === 'vulnerability');
      expect(vulns).toHaveLength(16);
      const ids = vulns.map((o) => o.Attribute.find((a) => a.object_relation === 'id')?.value);
      expect(ids).toContain('CVE-2024-6387');
      const ssh = vulns.find((o) => o.Attribute.some((a) => a.value === 'CVE-2024-6387'));
      expect(ssh?.Attribute.find((a) => a.object_relation === 'description')?.value).toMatch(/kev: in CISA KEV since 2024-07-01, used by ransomware: at least 0\.7/);
      expect(ev.Attribute.find((a) => a.type === 'float')?.value).toMatch(/^0\.99\d+$/);
      expect(ev.Tag?.map((t) => t.name)).toContain('waggle:host-risk');

      // Patch apache2, run again: same event, the two apache2 CVEs are gone.
      const patched = join(tmp, 'dpkg-status-patched');
      writeFileSync(patched, readFileSync(`${FIX}dpkg-status`, 'utf8').replaceAll('2.4.57-2', '2.4.61-1~deb12u1'));
      const second = waggle('risk', 'host', ...HOST_ARGS.map((a) => (a === `${FIX}dpkg-status` ? patched : a)), '--report-to', server.url, '--key', KEY);
      expect(second.code, second.err).toBe(0);
      expect(second.err).toMatch(/report updated: event \d+/);
      const after = (await view()).Event;
      const live = after.Object.filter((o) => o.name === 'vulnerability' && o.deleted !== true);
      expect(live).toHaveLength(14);
      expect(live.flatMap((o) => o.Attribute.map((a) => a.value))).not.toContain('CVE-2024-38476');
      expect(after.Attribute.filter((a) => a.type === 'float')).toHaveLength(1);
      const index = await fetch(`${server.url}/events/index`, { method: 'POST', headers: { Authorization: KEY, Accept: 'application/json', 'Content-Type': 'application/json' }, body: '{}' });
      expect(((await index.json()) as unknown[]).length).toBe(1);

      const wrongKey = waggle('risk', 'host', ...HOST_ARGS, '--report-to', server.url, '--key', 'x'.repeat(40));
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.err).toMatch(/refused the key \(HTTP 40[13]\)/);
    } finally {
      server.proc.kill('SIGTERM');
      await new Promise((r) => server.proc.once('exit', r));
    }
  });
});
