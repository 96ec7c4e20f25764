import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { parseKev } from './kev.js';
import { parseEpssCsv } from './epss.js';
import { fixtureText } from '../test-support/fixtures.js';

describe('parseKev', () => {
  it('reads the fixture catalogue', () => {
    const kev = parseKev(fixtureText('kev.json'));
    expect(kev.catalogVersion).toBe('fixture.2024.07.01');
    expect(kev.entries.size).toBe(4);
    expect(kev.entries.get('CVE-2021-3156')).toMatchObject({ vendorProject: 'Sudo', product: 'Sudo', dateAdded: '2022-04-06', knownRansomwareCampaignUse: 'Unknown' });
    expect(kev.entries.get('CVE-2024-6387')?.knownRansomwareCampaignUse).toBe('Known');
    expect(kev.problems).toEqual([]);
  });
  it('skips entries without a CVE id and says so', () => {
    const kev = parseKev('{"vulnerabilities":[{"cveID":"nope","dateAdded":"2024-01-01"},{"cveID":"CVE-2024-0001"},{"cveID":"CVE-2024-0002","dateAdded":"2024-01-02"}]}');
    expect([...kev.entries.keys()]).toEqual(['CVE-2024-0002']);
    expect(kev.problems).toHaveLength(2);
  });
  it.each([['not json', /not JSON/], ['{}', /needs a "vulnerabilities" array/], ['null', /needs a "vulnerabilities" array/]])('rejects %s', (text, message) => {
    expect(() => parseKev(text)).toThrow(InputError);
    expect(() => parseKev(text)).toThrow(message);
  });
});

describe('parseEpssCsv', () => {
  it('reads the model line and the scores', () => {
    const e = parseEpssCsv(fixtureText('epss.csv'));
    expect(e.modelVersion).toBe('v2023.03.01');
    expect(e.scoreDate).toBe('2024-07-01T00:00:00+0000');
    expect(e.scores.get('CVE-2024-6387')?.epss).toBeCloseTo(0.41027, 6);
    expect(e.scores.size).toBe(28);
  });
  it('works without the comment line', () => {
    expect(parseEpssCsv('cve,epss,percentile\nCVE-2024-0001,0.5,0.9\n').scores.get('CVE-2024-0001')).toEqual({ epss: 0.5, percentile: 0.9 });
  });
  it('rejects a missing header and bad rows, listing them', () => {
    expect(() => parseEpssCsv('CVE-2024-0001,0.5,0.9')).toThrow(/expected the header/);
    expect(() => parseEpssCsv('cve,epss,percentile\nCVE-2024-0001,1.5,0.9\nfoo,0.1,0.1\nCVE-2024-0002,,0.1\n')).toThrow(InputError);
    expect(() => parseEpssCsv('cve,epss,percentile\nCVE-2024-0001,1.5,0.9\nfoo,0.1,0.1\n')).toThrow(/2 bad row\(s\)[\s\S]*line 2[\s\S]*line 3/);
  });
});
