import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOsvIndex, loadOsv, matchInventory, parseDpkgStatus, parseEpssCsv, parseKev, type EpssScore, type Finding, type KevEntry } from '@waggle/inventory';
import { assessHost, type HostRiskInput } from './assess-host.js';
import { parseListeningServices } from './listening-service.js';
import type { Evidence } from './evidence.js';
import type { VulnerabilityRisk } from './vulnerability-risk.js';

const FIX = fileURLToPath(new URL('../../../inventory/data/fixtures/', import.meta.url));
const read = (f: string): string => readFileSync(FIX + f, 'utf8');

/** A finding builder: one CVE in one package. */
function aFinding(cve: string, pkg = 'pkg', over: Partial<Finding> = {}): Finding {
  return { package: pkg, source: pkg, installedVersion: '1.0-1', ecosystem: 'Debian:12', vulnerabilityId: `DSA-${cve}`, aliases: [cve], cves: [cve], fixedVersion: '1.0-2', severity: [], ...over };
}
const epss = (m: Record<string, number>): Map<string, EpssScore> => new Map(Object.entries(m).map(([k, v]) => [k, { epss: v, percentile: 0.5 }]));
const kevOf = (...ids: string[]): Map<string, KevEntry> => new Map(ids.map((id) => [id, { cveID: id, vendorProject: 'v', product: 'p', dateAdded: '2024-01-01', knownRansomwareCampaignUse: id.endsWith('9') ? 'Known' : 'Unknown' }]));
const product = (v: VulnerabilityRisk): number => v.factors.reduce((a, f) => a * f.multiplier, 1);

describe('assessHost: per-vulnerability factors', () => {
  const base: HostRiskInput = { findings: [aFinding('CVE-2024-0001'), aFinding('CVE-2024-0002')], kev: new Map(), epss: epss({ 'CVE-2024-0001': 0.2, 'CVE-2024-0002': 0.1 }) };

  it('without exposure data uses EPSS as is and combines with noisy-OR', () => {
    const r = assessHost(base);
    expect(r.vulnerabilities.map((v) => v.probability)).toEqual([0.2, 0.1]);
    expect(r.probability).toBeCloseTo(1 - 0.8 * 0.9, 12);
    expect(r.exposureKnown).toBe(false);
    expect(r.notes[0]).toMatch(/exposure not taken into account/);
    expect(r.formula).toBe('1 − (1 − 0.200)(1 − 0.100) = 0.2800');
  });

  it('uses the documented prior when EPSS has no score', () => {
    const r = assessHost({ ...base, epss: new Map() });
    expect(r.vulnerabilities[0]?.factors[0]).toMatchObject({ name: 'prior', multiplier: 0.001 });
    expect(r.vulnerabilities[0]?.probability).toBe(0.001);
  });

  it('raises KEV entries to the floor, higher for ransomware, never lowers', () => {
    const r = assessHost({ findings: [aFinding('CVE-2024-0001'), aFinding('CVE-2024-0009'), aFinding('CVE-2024-0011')], kev: kevOf('CVE-2024-0001', 'CVE-2024-0009', 'CVE-2024-0011'), epss: epss({ 'CVE-2024-0001': 0.01, 'CVE-2024-0009': 0.01, 'CVE-2024-0011': 0.9 }) });
    const by = (id: string) => r.vulnerabilities.find((v) => v.id === id) as VulnerabilityRisk;
    expect(by('CVE-2024-0001').probability).toBeCloseTo(0.5, 12);
    expect(by('CVE-2024-0009').probability).toBeCloseTo(0.7, 12);
    expect(by('CVE-2024-0011').probability).toBeCloseTo(0.9, 12);
    expect(by('CVE-2024-0001').factors.map((f) => f.name)).toEqual(['epss', 'kev', 'exposure']);
    expect(by('CVE-2024-0001').kev).toBe(true);
  });

  it('scales by exposure: network 1, dependency 0.5, loopback 0.25, local 0.1', () => {
    const findings = [aFinding('CVE-2024-0001', 'daemon'), aFinding('CVE-2024-0002', 'libfoo'), aFinding('CVE-2024-0003', 'db'), aFinding('CVE-2024-0004', 'tool')];
    const packages = [
      { name: 'daemon', version: '1', architecture: 'amd64', source: 'daemon', sourceVersion: '1', ecosystem: 'Debian' as const, depends: ['libfoo'] },
      { name: 'libfoo', version: '1', architecture: 'amd64', source: 'libfoo', sourceVersion: '1', ecosystem: 'Debian' as const, depends: [] },
    ];
    const exposure = parseListeningServices('[{"port":443,"process":"daemon"},{"port":5432,"address":"127.0.0.1","package":"db"}]');
    const r = assessHost({ findings, packages, exposure, kev: new Map(), epss: epss({ 'CVE-2024-0001': 0.2, 'CVE-2024-0002': 0.2, 'CVE-2024-0003': 0.2, 'CVE-2024-0004': 0.2 }) });
    const got = Object.fromEntries(r.vulnerabilities.map((v) => [v.id, [v.exposure, Number(v.probability.toFixed(6))]]));
    expect(got).toEqual({ 'CVE-2024-0001': ['network', 0.2], 'CVE-2024-0002': ['network-dependency', 0.1], 'CVE-2024-0003': ['loopback', 0.05], 'CVE-2024-0004': ['local', 0.02] });
    expect(r.vulnerabilities.find((v) => v.id === 'CVE-2024-0002')?.exposureReason).toBe('libfoo is a dependency of daemon (0.0.0.0:443)');
  });

  it('counts a CVE once even when several binary packages and advisories carry it', () => {
    const r = assessHost({ findings: [aFinding('CVE-2024-0001', 'libssl3', { source: 'openssl' }), aFinding('CVE-2024-0001', 'openssl', { source: 'openssl', vulnerabilityId: 'DLA-1' })], kev: new Map(), epss: epss({ 'CVE-2024-0001': 0.3 }) });
    expect(r.vulnerabilities).toHaveLength(1);
    expect(r.vulnerabilities[0]).toMatchObject({ packages: ['libssl3', 'openssl'], advisories: ['DSA-CVE-2024-0001', 'DLA-1'], sources: ['openssl'] });
    expect(r.probability).toBeCloseTo(0.3, 12);
  });
});

describe('assessHost: evidence updates', () => {
  const input = (evidence: Evidence): HostRiskInput => ({
    findings: [aFinding('CVE-2024-0001', 'daemon'), aFinding('CVE-2024-0002', 'tool')],
    exposure: parseListeningServices('[{"port":443,"package":"daemon"}]'),
    kev: new Map(),
    epss: epss({ 'CVE-2024-0001': 0.05, 'CVE-2024-0002': 0.05 }),
    evidence,
  });
  const p = (e: Evidence, id = 'CVE-2024-0001'): number => assessHost(input(e)).vulnerabilities.find((v) => v.id === id)?.probability as number;

  it('is monotone: more evidence never lowers a probability', () => {
    const steps: Evidence[] = [
      {},
      { sightings: [{ cve: 'CVE-2024-0001', count: 1 }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }], alerts: [{ signature: 'ET SCAN' }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }], alerts: [{ cve: 'CVE-2024-0001' }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }], alerts: [{ cve: 'CVE-2024-0001', count: 50 }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }], alerts: [{ cve: 'CVE-2024-0001', count: 50 }], actors: [{ name: 'APT-X', techniques: ['T1190'] }] },
      { sightings: [{ cve: 'CVE-2024-0001', count: 10 }], alerts: [{ cve: 'CVE-2024-0001', count: 50 }], actors: [{ name: 'APT-X', techniques: ['T1190'], cves: ['CVE-2024-0001'] }] },
    ];
    const ps = steps.map((e) => p(e));
    for (let i = 1; i < ps.length; i++) expect(ps[i], `step ${i}`).toBeGreaterThan(ps[i - 1] as number);
    for (const x of ps) expect(x).toBeLessThan(1);
  });

  it('applies odds updates with the documented ratios', () => {
    const odds = (x: number) => x / (1 - x);
    expect(odds(p({ sightings: [{ cve: 'CVE-2024-0001', count: 1 }] })) / odds(0.05)).toBeCloseTo(3, 9);
    expect(odds(p({ alerts: [{ cve: 'CVE-2024-0001' }] })) / odds(0.05)).toBeCloseTo(5, 9);
    expect(odds(p({ actors: [{ name: 'A', techniques: ['T1190', 'T1210'] }, { name: 'B', techniques: ['T1190'] }] })) / odds(0.05)).toBeCloseTo(1.5, 9);
  });

  it('matches techniques to exposure: T1190 leaves a local vulnerability alone, T1068 raises it', () => {
    expect(p({ actors: [{ name: 'A', techniques: ['T1190'] }] }, 'CVE-2024-0002')).toBeCloseTo(0.005, 12);
    expect(p({ actors: [{ name: 'A', techniques: ['T1068'] }] }, 'CVE-2024-0002')).toBeGreaterThan(0.005);
    // A host alert without CVE raises only network-reachable vulnerabilities.
    expect(p({ alerts: [{ signature: 'x' }] }, 'CVE-2024-0002')).toBeCloseTo(0.005, 12);
  });

  it('caps ratios and ignores evidence about other CVEs', () => {
    const huge = p({ sightings: [{ cve: 'CVE-2024-0001', count: 1e9 }] });
    expect(huge / (1 - huge) / (0.05 / 0.95)).toBeCloseTo(10, 9);
    expect(p({ sightings: [{ cve: 'CVE-2099-0001', count: 5 }] })).toBeCloseTo(0.05, 12);
  });
});

describe('assessHost on the fixture host', () => {
  const packages = parseDpkgStatus(read('dpkg-status')).packages;
  const findings = matchInventory(packages, createOsvIndex(loadOsv(FIX + 'osv').records), { release: 'Debian:12' });
  const r = assessHost(
    { findings, packages, kev: parseKev(read('kev.json')).entries, epss: parseEpssCsv(read('epss.csv')).scores, exposure: parseListeningServices(read('listening.json')), evidence: { actors: [{ name: 'APT-Fixture', techniques: ['T1190', 'T1068'] }] } },
    { host: 'fixture-host' },
  );

  it('keeps every probability in [0, 1] and the factors multiply back to it', () => {
    expect(r.probability).toBeGreaterThan(0);
    expect(r.probability).toBeLessThanOrEqual(1);
    for (const v of r.vulnerabilities) {
      expect(v.probability).toBeGreaterThanOrEqual(0);
      expect(v.probability).toBeLessThanOrEqual(1);
      expect(product(v)).toBeCloseTo(v.probability, 12);
    }
    expect(1 - r.vulnerabilities.reduce((a, v) => a * (1 - v.probability), 1)).toBeCloseTo(r.probability, 12);
  });

  it('explains the top risks: KEV apache2 first, regreSSHion raised by KEV (ransomware floor)', () => {
    expect(r.vulnerabilities[0]?.id).toBe('CVE-2024-38476');
    const ssh = r.vulnerabilities.find((v) => v.id === 'CVE-2024-6387') as VulnerabilityRisk;
    expect(ssh.factors.map((f) => f.name)).toEqual(['epss', 'kev', 'exposure', 'actor-technique']);
    expect(ssh.factors[1]?.multiplier).toBeCloseTo(0.7 / 0.41027, 9);
    expect(ssh.exposureReason).toBe('openssh-server listens on 0.0.0.0:22');
    expect(r.vulnerabilities.find((v) => v.id === 'CVE-2024-7348')?.exposure).toBe('loopback');
    expect(r.vulnerabilities.find((v) => v.id === 'CVE-2023-42465')).toMatchObject({ exposure: 'local', fixedVersions: {} });
    expect(r.topContributors[0]?.id).toBe('CVE-2024-38476');
  });

  it('orders patches by marginal risk reduction, and each reduction is exact', () => {
    expect(r.patchFirst[0]).toMatchObject({ source: 'apache2', upgradeTo: '2.4.61-1~deb12u1', packages: ['apache2', 'apache2-bin', 'apache2-data', 'apache2-utils'] });
    expect(r.patchFirst[1]?.source).toBe('openssh');
    for (let i = 1; i < r.patchFirst.length; i++) expect(r.patchFirst[i]?.reduction).toBeLessThanOrEqual(r.patchFirst[i - 1]?.reduction as number);
    for (const a of r.patchFirst) {
      const rest = r.vulnerabilities.filter((v) => !a.fixes.includes(v.id));
      expect(1 - rest.reduce((x, v) => x * (1 - v.probability), 1)).toBeCloseTo(a.probabilityAfter, 12);
    }
    expect(r.patchFirst.some((a) => a.source === 'sudo')).toBe(false); // its only CVE has no fix
    expect(r.notes).toContain('no fixed version known for CVE-2023-42465');
  });

  it('gives 0 for a host without findings', () => {
    const empty = assessHost({ findings: [], kev: new Map(), epss: new Map() });
    expect(empty).toMatchObject({ probability: 0, vulnerabilities: [], patchFirst: [], formula: 'no vulnerabilities: 0' });
  });
});
