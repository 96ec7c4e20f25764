import { describe, expect, it } from 'vitest';
import { parseDpkgStatus } from '../debian/dpkg-status.js';
import { parseSoftwareList } from '../software/software-list.js';
import { fixturePath, fixtureText } from '../test-support/fixtures.js';
import { loadOsv } from './load-osv.js';
import { createOsvIndex } from './osv-index.js';
import { matchInventory } from './match-inventory.js';
import { compileRange } from './compiled-range.js';
import { versionSchemeFor } from './version-scheme.js';
import type { OsvRecord } from './osv-record.js';

const host = parseDpkgStatus(fixtureText('dpkg-status')).packages;
const index = createOsvIndex(loadOsv(fixturePath('osv')).records);

describe('matchInventory on the fixture host (known answers)', () => {
  const findings = matchInventory(host, index, { release: 'Debian:12' });
  const rows = findings.map((f) => `${f.package}${f.architecture === 'i386' ? ':i386' : ''} ${f.vulnerabilityId} ${f.fixedVersion ?? '-'}`).sort();

  it('finds exactly the vulnerable packages, per binary package, by source', () => {
    expect(rows).toEqual([
      'apache2 DSA-9005-1 2.4.61-1~deb12u1',
      'apache2-bin DSA-9005-1 2.4.61-1~deb12u1',
      'apache2-data DSA-9005-1 2.4.61-1~deb12u1',
      'apache2-utils DSA-9005-1 2.4.61-1~deb12u1',
      'libc-bin DSA-9006-1 2.36-9+deb12u7',
      'libc6 DSA-9006-1 2.36-9+deb12u7',
      'libc6:i386 DSA-9006-1 2.36-9+deb12u7',
      'libexpat1 DSA-9011-1 2.5.0-1+deb12u1',
      'libgnutls30 DSA-9012-1 3.7.9-2+deb12u3',
      'libpam-modules DSA-9015-1 1.5.2-6+deb12u2',
      'libssl3 DSA-9001-1 3.0.13-1~deb12u1',
      'libsystemd0 DSA-9009-1 252.23-1~deb12u1',
      'openssh-client DSA-9002-1 1:9.2p1-2+deb12u3',
      'openssh-server DSA-9002-1 1:9.2p1-2+deb12u3',
      'openssh-sftp-server DSA-9002-1 1:9.2p1-2+deb12u3',
      'openssl DSA-9001-1 3.0.13-1~deb12u1',
      'postgresql-15 DSA-9013-1 15.8-0+deb12u1',
      'sudo DLA-9016-1 -',
      'systemd DSA-9009-1 252.23-1~deb12u1',
    ]);
  });

  it('carries source, CVE aliases and severity', () => {
    const f = findings.find((x) => x.package === 'libssl3');
    expect(f).toMatchObject({ source: 'openssl', installedVersion: '3.0.11-1~deb12u2', ecosystem: 'Debian:12', cves: ['CVE-2023-5678', 'CVE-2023-6129', 'CVE-2023-6237'] });
    expect(findings.find((x) => x.package === 'openssh-server')?.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H' }]);
  });

  it('leaves out fixed (equal to the fix), not-yet-introduced and withdrawn records', () => {
    const ids = new Set(findings.map((f) => f.vulnerabilityId));
    for (const id of ['DSA-9003-1', 'DSA-9004-1', 'DSA-9007-1', 'DSA-9008-1', 'DSA-9010-1', 'DSA-9014-1', 'DSA-9017-1']) expect(ids.has(id), id).toBe(false);
  });

  it('without a release, other releases count too (the bullseye-only zlib record matches)', () => {
    const all = matchInventory(host, index);
    expect(all.length).toBe(findings.length + 1);
    expect(all.find((f) => f.vulnerabilityId === 'DLA-9102-1')).toMatchObject({ package: 'zlib1g', ecosystem: 'Debian:11' });
  });

  it('matches purl software lists in their own ecosystems', () => {
    const items = parseSoftwareList(fixtureText('software-list.txt'));
    expect(matchInventory(items, index).map((f) => `${f.package} ${f.vulnerabilityId} ${f.fixedVersion ?? '-'}`).sort()).toEqual([
      'lodash GHSA-fixt-0002-0002 4.17.21',
      'org.apache.logging.log4j:log4j-core GHSA-fixt-0003-0003 2.15.0',
      'requests GHSA-fixt-0001-0001 2.32.0',
    ]);
  });

  it('skips a package whose version its ecosystem cannot parse', () => {
    expect(matchInventory([{ ecosystem: 'Debian', name: 'openssl', version: 'garbage' }], index)).toEqual([]);
  });
});

describe('OSV range evaluation', () => {
  const deb = versionSchemeFor('Debian:12');
  const test = (events: object[], v: string) => compileRange({ type: 'ECOSYSTEM', events: events as never }, deb).test(deb.parse(v));
  it('handles several introduced/fixed pairs, in any order', () => {
    const ev = [{ fixed: '2.0-1' }, { introduced: '3.0-1' }, { introduced: '1.0-1' }, { fixed: '3.5-1' }];
    expect(test(ev, '0.9-1')).toEqual({ affected: false });
    expect(test(ev, '1.5-1')).toEqual({ affected: true, fixed: '2.0-1' });
    expect(test(ev, '2.5-1')).toEqual({ affected: false });
    expect(test(ev, '3.0-1')).toEqual({ affected: true, fixed: '3.5-1' });
    expect(test(ev, '3.5-1')).toEqual({ affected: false });
  });
  it('treats last_affected as inclusive and limit as an upper bound', () => {
    expect(test([{ introduced: '0' }, { last_affected: '1.0-1' }], '1.0-1')).toEqual({ affected: true });
    expect(test([{ introduced: '0' }, { last_affected: '1.0-1' }], '1.0-1+b1')).toEqual({ affected: false });
    expect(test([{ introduced: '0' }, { limit: '2.0' }], '1.9')).toEqual({ affected: true });
    expect(test([{ introduced: '0' }, { limit: '2.0' }], '2.0')).toEqual({ affected: false });
  });
  it('orders introduced before fixed at the same version (affects nothing)', () => {
    expect(test([{ introduced: '1.0' }, { fixed: '1.0' }], '1.0')).toEqual({ affected: false });
  });
  it('uses the generic order for SEMVER ranges', () => {
    const sem = versionSchemeFor('npm');
    const r = compileRange({ type: 'SEMVER', events: [{ introduced: '1.0.0-rc.1' }, { fixed: '1.0.2' }] }, sem);
    expect(r.test('1.0.0-beta')).toEqual({ affected: false });
    expect(r.test('1.0.1')).toEqual({ affected: true, fixed: '1.0.2' });
  });
});

// Matching speed is measured by the benchmark (npm run bench -- inventory), not here.
describe('matching at scale', () => {
  it('matches 3,000 packages against 50,000 records with exactly the expected findings', () => {
    const records: OsvRecord[] = [];
    for (let i = 0; i < 50_000; i++) {
      records.push({ id: `DSA-${i}`, modified: 'm', aliases: [`CVE-2024-${10000 + i}`], related: [], severity: [], references: [], affected: [{ ecosystem: 'Debian:12', name: `src${i % 6000}`, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${i % 50}-1` }] }], versions: [], severity: [] }] });
    }
    const idx = createOsvIndex(records);
    const pkgs = Array.from({ length: 3000 }, (_, i) => ({ ecosystem: 'Debian', name: `bin${i}`, source: `src${i * 2}`, version: '1.20-1', sourceVersion: '1.20-1' }));
    const found = matchInventory(pkgs, idx, { release: 'Debian:12' });
    // Installed 1.20-1 is affected when the fix is 1.21-1 … 1.49-1 (Debian orders 1.21 after 1.20),
    // for records of the even source packages the host has.
    let expected = 0;
    for (let i = 0; i < 50_000; i++) if ((i % 6000) % 2 === 0 && i % 50 > 20) expected++;
    expect(found).toHaveLength(expected);
  });
});
