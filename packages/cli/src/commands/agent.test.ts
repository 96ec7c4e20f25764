import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/test-server.js';
import { fileURLToPath } from 'node:url';
import { uuidV5 } from './risk-host.js';
import { runCli as waggle } from '../test-support/run-cli.js';

const FIX = fileURLToPath(new URL('../../../inventory/data/fixtures/', import.meta.url));

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tmp = mkdtempSync(join(tmpdir(), 'cli-agent-'));


const stamp = (s: number): string => {
  const d = new Date(Date.now() - 120_000 + s * 1000);
  return d.toISOString().replace('Z', '+00:00');
};

describe('waggle agent (against a running waggle server)', () => {
  let s: TestServer;
  let url: string;
  const log = join(tmp, 'auth.log');
  const etc = join(tmp, 'etc');
  const state = join(tmp, 'state');

  function config(file: string, serverUrl: string): string {
    const path = join(tmp, file);
    writeFileSync(path, [
      'host: test-host-01',
      `state_dir: ${state}`,
      `waggle: { url: "${serverUrl}", key: "${s.adminKey}" }`,
      `auth_logs: [${log}, ${join(tmp, 'missing.log')}]`,
      `file_integrity: { paths: [${etc}], interval_seconds: 1 }`,
      'rules: { brute_force_threshold: 3 }',
      'report_interval_seconds: 1',
      '',
    ].join('\n'));
    return path;
  }

  beforeAll(async () => {
    s = await startTestServer('sqlite');
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
    mkdirSync(etc);
    writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/bash\n');
    writeFileSync(log, '');
    // A partner already shared the attacker's address.
    await s.call('POST', '/events/add', { info: 'Shared SSH scanner list', distribution: '1', Attribute: [{ type: 'ip-src', value: '203.0.113.5', to_ids: true }] });
  });
  afterAll(async () => {
    s.app.server.closeAllConnections();
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('rejects a bad configuration with the line and reason', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'state_dir: /tmp/x\nrules:\n  brute_force_threshold: zero\nunknown_key: 1\n');
    const r = await waggle('agent', 'check', '--config', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3: rules\.brute_force_threshold/);
    expect(r.err).toMatch(/unknown_key/);
  });

  it('reports brute force, a login after failures and a changed account file; a missing log is reported, not fatal', async () => {
    const cfg = config('agent.yaml', url);
    const check = await waggle('agent', 'check', '--config', cfg);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/missing\.log: does not exist/);

    // First round: baselines only.
    const first = await waggle('agent', 'run', '--config', cfg, '--once');
    expect(first.code).toBe(0);
    expect(first.out).toBe('');

    appendFileSync(log, [1, 2, 3, 4].map((i) => `${stamp(i)} test-host-01 sshd[9]: Failed password for root from 203.0.113.5 port ${String(4000 + i)} ssh2`).join('\n') + '\n');
    appendFileSync(log, `${stamp(5)} test-host-01 sshd[9]: Accepted password for root from 203.0.113.5 port 4005 ssh2\n`);
    writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/bash\nbackdoor:x:0:0::/:/bin/sh\n');

    const second = await waggle('agent', 'run', '--config', cfg, '--once', '--json');
    expect(second.code).toBe(0);
    const alerts = second.out.trim().split('\n').map((l) => JSON.parse(l) as J);
    expect(alerts.map((a) => a.rule).sort()).toEqual(['account-file-changed', 'login-after-failures', 'ssh-brute-force']);
    expect(second.err).toMatch(/missing\.log/);

    const search = await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventinfo: 'Host agent alerts on test-host-01%' });
    const events = ((search.json as J).response as J[]).map((r) => r.Event as J);
    expect(events).toHaveLength(1);
    const ev = events[0] as J;
    const ips = (ev.Attribute as J[]).filter((a) => a.type === 'ip-src');
    expect(ips.length).toBeGreaterThan(0);
    expect(ips.every((a) => a.value === '203.0.113.5')).toBe(true);
    expect(ips.some((a) => a.to_ids === true)).toBe(true);
    expect((ev.Tag as J[]).map((t) => t.name)).toEqual(expect.arrayContaining(['misp-galaxy:mitre-attack-pattern="Password Guessing - T1110.001"', 'misp-galaxy:mitre-attack-pattern="Valid Accounts - T1078"']));
    // The partner's copy of the address got a sighting.
    const sightings = await s.call('POST', '/sightings/restSearch', { value: '203.0.113.5' });
    expect(sightings.text).toContain('test-host-01');
  });

  it('keeps alerts in the spool while the server is unreachable and delivers them once later', async () => {
    const down = config('agent-down.yaml', 'http://127.0.0.1:9');
    appendFileSync(log, `${stamp(30)} test-host-01 useradd[5]: new user: name=evil, UID=1002, GID=1002, home=/home/evil, shell=/bin/sh\n`);
    const offline = await waggle('agent', 'run', '--config', down, '--once');
    expect(offline.code).toBe(0);
    expect(offline.err).toMatch(/1 batches waiting in the spool|batches spooled/);
    const before = ((await s.call('POST', '/attributes/restSearch', { value: 'new local account evil' })).json as J).response.Attribute as J[];
    expect(before).toHaveLength(0);

    const cfg = config('agent.yaml', url);
    const online = await waggle('agent', 'run', '--config', cfg, '--once');
    expect(online.err).toMatch(/0 batches waiting/);
    const after = ((await s.call('POST', '/attributes/restSearch', { value: 'new local account evil' })).json as J).response.Attribute as J[];
    expect(after).toHaveLength(1);
    // Nothing is resent.
    await waggle('agent', 'run', '--config', cfg, '--once');
    expect((((await s.call('POST', '/attributes/restSearch', { value: 'new local account evil' })).json as J).response.Attribute as J[])).toHaveLength(1);
  });

  it('reports the inventory to the risk engine: the risk event of the host with its vulnerability objects', async () => {
    const path = join(tmp, 'agent-risk.yaml');
    writeFileSync(path, [
      'host: test-host-02',
      `state_dir: ${join(tmp, 'state-risk')}`,
      `waggle: { url: "${url}", key: "${s.adminKey}" }`,
      `inventory: { dpkg_status: ${join(FIX, 'dpkg-status')} }`,
      `risk: { osv: ${join(FIX, 'osv')}, kev: ${join(FIX, 'kev.json')}, epss: ${join(FIX, 'epss.csv')} }`,
      '',
    ].join('\n'));
    const r = await waggle('agent', 'run', '--config', path, '--once');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/risk: compromise probability 0\.\d+ reported \(created event/);
    const ev = await s.call('GET', `/events/view/${uuidV5('waggle:risk-host:test-host-02')}`);
    expect(ev.status).toBe(200);
    expect(((ev.json as J).Event.Object as J[]).filter((o) => o.name === 'vulnerability').length).toBeGreaterThan(0);
  });
});
