import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '@waggle/errors';
import { createMemorySink } from '../log/memory-sink.js';
import { DEFAULT_LIMITS } from '../service.js';
import { createCatalogue } from './catalogue.js';
import { builtinProfilesDir, loadProfileFile, loadProfiles, loadProfilesFromDir } from './load-profiles.js';
import { parseProfile } from './parse-profile.js';
import { startProfile } from './start-profile.js';

const tmp = mkdtempSync(join(tmpdir(), 'hp-profiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const minimal = { name: 'x', service: 'redis', default_port: 6379, cves: [], services: ['redis'], attack_techniques: ['T1190'], description: 'd' };

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('profile files', () => {
  it('ships valid profiles for every service and every required CVE', () => {
    const profiles = loadProfilesFromDir(builtinProfilesDir());
    expect(new Set(profiles.map((p) => p.service))).toEqual(new Set(['ssh', 'telnet', 'redis', 'ftp', 'http']));
    const cves = new Set(profiles.flatMap((p) => p.cves));
    for (const c of ['CVE-2021-44228', 'CVE-2021-45046', 'CVE-2021-41773', 'CVE-2021-42013', 'CVE-2017-9841', 'CVE-2022-22965', 'CVE-2019-19781', 'CVE-2023-3519', 'CVE-2022-1388', 'CVE-2023-46805', 'CVE-2024-21887', 'CVE-2024-3400', 'CVE-2023-34362', 'CVE-2018-10933']) expect(cves.has(c)).toBe(true);
    // Every CVE a lure claims has a detector, so the claim is testable.
    for (const p of profiles.filter((x) => x.service === 'http')) expect(new Set(p.http?.detectors.map((d) => d.cve))).toEqual(new Set(p.cves));
    const libssh = profiles.find((p) => p.name === 'libssh-auth-bypass');
    expect(libssh?.ssh_detectors[0]).toMatchObject({ cve: 'CVE-2018-10933', client_message: 52 });
    expect(profiles.find((p) => p.name === 'ssh')?.options.userdb).toEqual(['root:x:!root', 'root:x:!123456', 'root:x:*']);
  });

  it('names the file and every bad field of a broken profile', () => {
    const path = join(tmp, 'broken.json');
    writeFileSync(path, JSON.stringify({ ...minimal, name: 'broken', service: 'http', default_port: 70000, cves: ['CVE-21-1'], http: { server_header: 'x', routes: [{ path: '/', status: 999 }], detectors: [{ id: 'd', cve: 'CVE-2021-44228', all: [{ target: 'nowhere', pattern: '(' }] }] } }));
    const e = errorOf(() => loadProfileFile(path));
    expect(e.message).toContain(path);
    for (const f of ['default_port', 'cves[0]', 'http.routes[0].status', 'http.detectors[0].all[0].target', 'http.detectors[0].all[0].pattern is not a valid regular expression']) expect(e.message).toContain(f);
    expect(e.details.file).toBe(path);
    expect(e.details.problems).toHaveLength(5);
  });

  it('rejects unreadable JSON, a name that is not the file name, and unknown services', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{ "name": ');
    expect(() => loadProfileFile(bad)).toThrow(/bad\.json: not readable JSON/);
    const other = join(tmp, 'other.json');
    writeFileSync(other, JSON.stringify(minimal));
    expect(() => loadProfileFile(other)).toThrow(/name "x" must match the file name "other"/);
    expect(() => parseProfile({ ...minimal, service: 'smtp' }, 'mem.json')).toThrow(/mem\.json: service must be one of ssh, telnet, redis, ftp, http/);
    expect(() => parseProfile({ ...minimal, http: {} }, 'mem.json')).toThrow(/only an http profile has an "http" part/);
    expect(() => parseProfile([], 'arr.json')).toThrow(/\(root\) must be an object/);
  });

  it('accepts only SSH detector messages the SSH service can see from a client', () => {
    const ssh = { ...minimal, service: 'ssh', services: ['ssh'] };
    const detector = { id: 'd', cve: 'CVE-2018-10933', client_message: 52 };
    expect(parseProfile({ ...ssh, ssh_detectors: [detector] }, 'ok.json').ssh_detectors).toEqual([{ ...detector, technique: 'T1190', description: '' }]);
    const e = errorOf(() => parseProfile({ ...ssh, ssh_detectors: [{ ...detector, client_message: 50 }, { ...detector, client_message: 300 }] }, 'mem.json'));
    expect(e.message).toContain('ssh_detectors[0].client_message 50 is not a message the SSH service can see from a client (one of 6, 51, 52, 53)');
    expect(e.message).toContain('ssh_detectors[1].client_message must be an integer from 1 to 255');
    expect(e.details.problems).toHaveLength(2);
  });

  it('lets a folder of extra profiles add and replace shipped ones', () => {
    const dir = join(tmp, 'extra');
    mkdirSync(dir);
    writeFileSync(join(dir, 'redis.json'), JSON.stringify({ ...minimal, name: 'redis', default_port: 16379 }));
    writeFileSync(join(dir, 'my-redis.json'), JSON.stringify({ ...minimal, name: 'my-redis', cves: ['CVE-2015-4335'] }));
    const c = createCatalogue(loadProfiles([dir]));
    expect(c.get('redis').default_port).toBe(16379);
    expect(c.byCve('cve-2015-4335').map((p) => p.name)).toEqual(['my-redis']);
    expect(() => loadProfiles([join(tmp, 'missing')])).toThrow(/Cannot read the profile folder/);
  });
});

describe('catalogue', () => {
  const c = createCatalogue(loadProfiles());
  it('maps CVEs, services and ports to profiles', () => {
    expect(c.byCve('CVE-2021-42013').map((p) => p.name)).toEqual(['apache-traversal']);
    expect(c.byCve('CVE-2018-10933').map((p) => p.name)).toEqual(['libssh-auth-bypass']);
    expect(c.byService('ssh').map((p) => p.name).sort()).toEqual(['libssh-auth-bypass', 'ssh']);
    expect(c.byPort(6379).map((p) => p.name)).toEqual(['redis']);
    expect(c.byPort(443).length).toBeGreaterThan(3);
    expect(() => c.get('nope')).toThrow(NotFoundError);
    expect(() => c.get('nope')).toThrow(/known: .*log4shell/);
  });
});

describe('startProfile (real listeners on 127.0.0.1)', () => {
  const c = createCatalogue(loadProfiles());
  const deps = { sink: createMemorySink(), sensor: 's', limits: DEFAULT_LIMITS, now: () => new Date(), sessionId: () => '0123456789ab', hostKeyDir: join(tmp, 'keys') };
  const firstBytes = (port: number): Promise<string> => new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('data', (d: Buffer) => {
      s.destroy();
      resolve(d.toString('latin1'));
    });
    s.on('error', reject);
  });
  for (const [name, banner] of [['ssh', 'SSH-2.0-OpenSSH_6.0p1 Debian-4+deb7u2'], ['libssh-auth-bypass', 'SSH-2.0-libssh_0.8.3'], ['ftp', '220 (vsFTPd 3.0.3)']] as const) {
    it(`starts ${name} with the profile's banner`, async () => {
      const svc = await startProfile(c.get(name), { host: '127.0.0.1', port: 0 }, deps);
      try {
        expect(await firstBytes(svc.port)).toContain(banner);
      } finally {
        await svc.close();
      }
    });
  }
  it('starts redis, telnet and an HTTP lure', async () => {
    for (const name of ['redis', 'telnet', 'f5-bigip']) {
      const svc = await startProfile(c.get(name), { host: '127.0.0.1', port: 0 }, deps);
      expect(svc.port).toBeGreaterThan(0);
      await svc.close();
    }
  });
  it('refuses an SSH profile without a host key folder', async () => {
    const { hostKeyDir: _k, ...noKey } = deps;
    await expect(startProfile(c.get('ssh'), { host: '127.0.0.1', port: 0 }, noKey)).rejects.toThrow(/host key folder is needed/);
  });
});
