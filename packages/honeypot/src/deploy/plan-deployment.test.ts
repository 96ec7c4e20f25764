import { describe, expect, it } from 'vitest';
import { createCatalogue } from '../profiles/catalogue.js';
import { loadProfiles } from '../profiles/load-profiles.js';
import { DEFAULT_CAPS, parsePortRanges, planDeployment, type DeploymentCaps } from './plan-deployment.js';
import type { MispEventJson } from './misp-event-json.js';

const catalogue = createCatalogue(loadProfiles());
const NOW = new Date('2026-12-02T12:00:00Z');
const caps = (over: Partial<DeploymentCaps> = {}): DeploymentCaps => ({ ...DEFAULT_CAPS, ...over });
const anEvent = (over: MispEventJson = {}): MispEventJson => ({ uuid: '11111111-2222-4333-8444-555555555555', info: 'partner report', ...over });

describe('planDeployment', () => {
  it('turns a vulnerability attribute into the matching lure on its default port, with the reason', () => {
    const plan = planDeployment(anEvent({ Attribute: [{ type: 'vulnerability', value: 'CVE-2021-44228' }] }), catalogue, caps(), NOW);
    expect(plan.decisions).toHaveLength(1);
    const d = plan.decisions[0];
    expect(d).toMatchObject({ action: 'start', profile: 'log4shell', port: 8983, trigger: { kind: 'cve', value: 'CVE-2021-44228' }, expiresAt: '2026-12-03T12:00:00.000Z' });
    expect(d?.reason).toContain('CVE-2021-44228 from vulnerability attribute');
    expect(d?.reason).toContain('its default port');
    expect(plan.event.uuid).toBe('11111111-2222-4333-8444-555555555555');
  });

  it('reads cve: tags and vulnerability objects, and keeps to the allowed port range', () => {
    const plan = planDeployment(anEvent({ Tag: [{ name: 'cve:CVE-2024-3400' }], Object: [{ name: 'vulnerability', Attribute: [{ type: 'vulnerability', object_relation: 'id', value: 'CVE-2022-1388' }] }] }), catalogue, caps({ allowedPorts: parsePortRanges('20000-20010') }), NOW);
    const started = plan.decisions.filter((d) => d.action === 'start');
    expect(started.map((d) => d.profile).sort()).toEqual(['f5-bigip', 'panos-globalprotect']);
    for (const d of started) {
      expect(d.port).toBeGreaterThanOrEqual(20000);
      expect(d.port).toBeLessThanOrEqual(20010);
      expect(d.reason).toContain('an allowed free port');
    }
    expect(new Set(started.map((d) => d.port)).size).toBe(2);
  });

  it('respects the instance cap and what already runs, saying why', () => {
    const ev = anEvent({ Attribute: [{ type: 'vulnerability', value: 'CVE-2021-44228' }, { type: 'vulnerability', value: 'CVE-2017-9841' }, { type: 'vulnerability', value: 'CVE-2022-22965' }] });
    const plan = planDeployment(ev, catalogue, caps({ maxInstances: 2, running: [{ profile: 'log4shell', port: 8983 }] }), NOW);
    expect(plan.decisions.map((d) => [d.profile, d.action])).toEqual([['log4shell', 'skip'], ['phpunit-eval-stdin', 'start'], ['spring4shell', 'skip']]);
    expect(plan.decisions[0]?.reason).toContain('already running');
    expect(plan.decisions[2]?.reason).toContain('cap of 2 instances');
  });

  it('caps the lifetime', () => {
    const plan = planDeployment(anEvent({ Tag: [{ name: 'cve:CVE-2023-34362' }] }), catalogue, caps({ lifetimeMs: 30 * 86_400_000, maxLifetimeMs: 3_600_000 }), NOW);
    expect(plan.decisions[0]).toMatchObject({ profile: 'moveit-transfer', lifetimeMs: 3_600_000, expiresAt: '2026-12-02T13:00:00.000Z' });
  });

  it('starts SSH on brute-force evidence from cowrie objects, not below the threshold', () => {
    const cowrie = (n: number) => ({ name: 'cowrie', Attribute: [{ object_relation: 'eventid', value: 'cowrie.login.failed' }, { object_relation: 'session', value: `s${String(n)}` }, ...['a', 'b', 'c'].map((p) => ({ object_relation: 'password', value: p }))] });
    const strong = planDeployment(anEvent({ Object: [cowrie(1), cowrie(2)] }), catalogue, caps(), NOW);
    expect(strong.decisions[0]).toMatchObject({ action: 'start', profile: 'ssh', trigger: { kind: 'brute-force', value: '6' }, port: 2222 });
    expect(strong.decisions[0]?.reason).toContain('3 failed logins in cowrie session s1');
    const weak = planDeployment(anEvent({ Object: [cowrie(1)] }), catalogue, caps(), NOW);
    expect(weak.decisions).toEqual([]);
    expect(weak.notes.join()).toContain('below the brute-force threshold 5');
  });

  it('maps targeted ports and ATT&CK techniques to generic profiles only', () => {
    const plan = planDeployment(anEvent({ Attribute: [{ type: 'ip-dst|port', value: '192.0.2.1|6379' }, { type: 'port', value: '443' }], Tag: [{ name: 'misp-galaxy:mitre-attack-pattern="Brute Force - T1110"' }] }), catalogue, caps({ maxInstances: 10 }), NOW);
    const started = plan.decisions.filter((d) => d.action === 'start').map((d) => d.profile).sort();
    expect(started).toEqual(['ftp', 'redis', 'ssh', 'telnet']);
    expect(plan.decisions.find((d) => d.profile === 'redis')).toMatchObject({ port: 6379, trigger: { kind: 'port', value: '6379' } });
    expect(plan.notes.join('\n')).toContain('port 443');
  });

  it('explains when nothing fits', () => {
    expect(planDeployment(anEvent({ Attribute: [{ type: 'vulnerability', value: 'CVE-1999-0001' }] }), catalogue, caps(), NOW).notes).toEqual(['CVE-1999-0001 (vulnerability attribute CVE-1999-0001 in the event): no profile covers it']);
    expect(planDeployment(anEvent(), catalogue, caps(), NOW).notes[0]).toContain('no CVE, technique');
  });

  it('rejects bad port ranges', () => {
    expect(() => parsePortRanges('9000-8000')).toThrow(/"9000-8000" is not a port or port range/);
    expect(() => parsePortRanges('http')).toThrow(RangeError);
    expect(parsePortRanges('2222, 8000-8100')).toEqual([{ from: 2222, to: 2222 }, { from: 8000, to: 8100 }]);
  });
});
