import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGalaxiesFromDir } from '@waggle/intel';
import { InputError } from '@waggle/errors';
import { copyInto, scratchDir, sharedData } from '../test-support/scratch.js';
import { attackTypesIn, normaliseAttackType } from './attack-types.js';
import { createGalaxyContextModule } from './galaxy-context-module.js';

const FILES = ['mitre-attack-pattern', 'threat-actor', 'mitre-intrusion-set', 'ransomware'];

describe('the galaxy-context module on the MISP galaxies', () => {
  const scratch = scratchDir();
  copyInto(sharedData('misp-galaxy'), scratch.dir, FILES.flatMap((f) => [`galaxies/${f}.json`, `clusters/${f}.json`]));
  afterAll(scratch.remove);
  const galaxies = loadGalaxiesFromDir(scratch.dir);
  const module = createGalaxyContextModule({ galaxies });
  const tagsOf = async (type: string, value: string): Promise<readonly string[]> => (await module.enrich({ type, value }, {})).tags;

  it('maps the finding attack types to ATT&CK technique tags as MISP names them', async () => {
    expect(galaxies.errors).toEqual([]);
    const expected: Record<string, string> = {
      'ssh-bruteforce': 'misp-galaxy:mitre-attack-pattern="Brute Force - T1110"',
      portscan: 'misp-galaxy:mitre-attack-pattern="Network Service Discovery - T1046"',
      'c2-beaconing': 'misp-galaxy:mitre-attack-pattern="Application Layer Protocol - T1071"',
      exfiltration: 'misp-galaxy:mitre-attack-pattern="Exfiltration Over C2 Channel - T1041"',
      'web-exploit': 'misp-galaxy:mitre-attack-pattern="Exploit Public-Facing Application - T1190"',
      'syn-flood': 'misp-galaxy:mitre-attack-pattern="Network Denial of Service - T1498"',
    };
    for (const [attackType, tag] of Object.entries(expected)) expect(await tagsOf('text', attackType), attackType).toEqual([tag]);
    expect(await tagsOf('text', 'SSH_Bruteforce')).toEqual([expected['ssh-bruteforce']]);
    expect(await tagsOf('text', 'T1110')).toEqual([expected['ssh-bruteforce']]);
  });

  it('reads the attack types of a finding record (security-event attack-type JSON)', async () => {
    const record = JSON.stringify({ ids: { version: '1', attacks: [{ attack_type: 'port-scan', confidence: 0.8 }, { attack_type: 'brute-force', confidence: 0.6 }] }, ml: { version: '2', attacks: [{ attack_type: 'port-scan', confidence: 0.9 }] } });
    expect(attackTypesIn(record)).toEqual(['port-scan', 'brute-force']);
    expect(await tagsOf('text', record)).toEqual(['misp-galaxy:mitre-attack-pattern="Network Service Discovery - T1046"', 'misp-galaxy:mitre-attack-pattern="Brute Force - T1110"']);
    expect(normaliseAttackType(' DoS  Hulk ')).toBe('dos-hulk');
  });

  it('tags threat actors by name or synonym', async () => {
    const tags = await tagsOf('threat-actor', 'Fancy Bear');
    expect(tags).toContain('misp-galaxy:threat-actor="APT28"');
    expect(tags).toContain('misp-galaxy:mitre-intrusion-set="APT28 - G0007"');
  });

  it('tags the clusters whose text mentions a CVE id (found in the data, not assumed)', async () => {
    const clusters = (JSON.parse(readFileSync(`${scratch.dir}/clusters/threat-actor.json`, 'utf8')) as { values: { value: string; description?: string }[] }).values;
    const withCve = clusters.find((c) => /CVE-\d{4}-\d{4,}/.test(c.description ?? ''));
    if (withCve === undefined) throw new Error('the threat-actor galaxy mentions no CVE');
    const cve = (/CVE-\d{4}-\d{4,}/.exec(withCve.description ?? '') as RegExpExecArray)[0];
    expect(await tagsOf('vulnerability', cve.toLowerCase())).toContain(`misp-galaxy:threat-actor="${withCve.value}"`);
  });

  it('gives nothing for unknown terms and rejects a malformed CVE id', async () => {
    expect(await tagsOf('text', 'just some text')).toEqual([]);
    expect(await tagsOf('threat-actor', 'Nobody Known Group 12345')).toEqual([]);
    expect(await tagsOf('vulnerability', 'CVE-2099-99999999')).toEqual([]);
    await expect(module.enrich({ type: 'vulnerability', value: 'CVE-21-1' }, {})).rejects.toThrow(InputError);
  });
});
