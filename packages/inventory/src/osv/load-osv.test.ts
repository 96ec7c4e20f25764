import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { loadOsv, parseOsvJson } from './load-osv.js';
import { parseOsvRecord } from './osv-record.js';
import { createOsvIndex } from './osv-index.js';
import { fixturePath } from '../test-support/fixtures.js';

describe('loadOsv', () => {
  it('loads the fixture folder recursively, arrays included', () => {
    const { records, problems } = loadOsv(fixturePath('osv'));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(22);
    expect(records.map((r) => r.id)).toContain('DLA-9102-1'); // from the array file debian-11.json
    const dsa = records.find((r) => r.id === 'DSA-9001-1');
    expect(dsa?.aliases).toEqual(['CVE-2023-5678', 'CVE-2023-6129', 'CVE-2023-6237']);
    expect(dsa?.databaseSpecific).toMatchObject({ fixture: true });
    expect(records.find((r) => r.id === 'DSA-9002-1')?.severity[0]?.type).toBe('CVSS_V3');
  });

  it('loads a single file', () => {
    expect(loadOsv(fixturePath('osv/debian-11.json')).records.map((r) => r.id)).toEqual(['DLA-9101-1', 'DLA-9102-1']);
  });

  it('reports broken records with file and reason and keeps the good ones', () => {
    const { records, problems } = loadOsv(fixturePath('osv-broken'));
    expect(records.map((r) => r.id).sort()).toEqual(['DSA-9902-1', 'DSA-9903-1']);
    const reasons = problems.map((p) => `${p.file.split('/').pop()}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.reason}`);
    expect(reasons).toEqual([
      'no-id.json: OSV record without an "id"',
      'no-introduced.json: DSA-9901-1.affected[0].ranges[0].events has no "introduced" event',
      expect.stringMatching(/^not-json\.json: not JSON: /),
    ]);
    // The bad version is the index's business: reported there, the sibling record still indexed.
    const index = createOsvIndex(records);
    expect(index.problems).toEqual([{ id: 'DSA-9902-1', reason: expect.stringMatching(/affected\[0\] \(Debian:12\/bash\): Invalid Debian version "not a version!"/) }]);
    expect(index.lookup('Debian', 'bash').map((e) => e.record.id)).toEqual(['DSA-9903-1']);
  });

  it('reports an unreadable file and throws for a missing path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osv-'));
    try {
      writeFileSync(join(dir, 'a.json'), '[1]');
      writeFileSync(join(dir, 'ignored.txt'), 'not json');
      expect(loadOsv(dir).problems).toEqual([{ file: join(dir, 'a.json'), index: 0, reason: 'an OSV record must be a JSON object' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => loadOsv('/nonexistent/osv')).toThrow(/ENOENT/);
  });
});

describe('parseOsvRecord', () => {
  const base = { id: 'X-1', modified: '2024-01-01T00:00:00Z' };
  it.each([
    [{ ...base, modified: undefined }, /"modified" is required/],
    [{ ...base, aliases: 'CVE-1' }, /aliases must be an array of strings/],
    [{ ...base, affected: {} }, /"affected" must be an array/],
    [{ ...base, affected: [{ package: { ecosystem: 'npm' } }] }, /package needs non-empty "ecosystem" and "name"/],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'RANGE', events: [{ introduced: '0' }] }] }] }, /type must be ECOSYSTEM, SEMVER or GIT/],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }] }, /exactly one of introduced/],
    [{ ...base, severity: [{ type: 'CVSS_V3' }] }, /needs string "type" and "score"/],
    [{ ...base, references: [{ type: 'WEB' }] }, /"references" must be an array/],
  ])('rejects a bad record (%#)', (json, message) => {
    expect(() => parseOsvRecord(json)).toThrow(InputError);
    expect(() => parseOsvRecord(json)).toThrow(message);
  });

  it('gives defaults for absent arrays', () => {
    expect(parseOsvRecord(base)).toEqual({ ...base, aliases: [], related: [], severity: [], affected: [], references: [] });
    expect(parseOsvJson('{"id":"Y","modified":"m"}', 'f').records).toHaveLength(1);
  });
});
