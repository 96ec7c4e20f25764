import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { defaultPolicy } from './default-policy.js';
import { loadPolicyFile } from './load-policy-file.js';
import { parsePolicy, type PolicyProblem } from './parse-policy.js';

function problemsOf(fn: () => unknown): { message: string; problems: PolicyProblem[] } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    return { message: e.message, problems: e.details.problems as PolicyProblem[] };
  }
  throw new Error('expected the policy to be rejected');
}

const GOOD = `version: 1
name: sectors
keys: { community: community-2026 }
recipients:
  - name: partners-energy
    match: { organisation: [CERT-EU], sharing_group: [energy-isac] }
    default: keep
    rules:
      - match: { type: [ip-src, ip-dst], value: { internal_ip: true } }
        action: { technique: cryptopan, key: community }
      - match: { type: [text] }
        action: suppress
  - name: default
    default: suppress
`;

describe('parsePolicy', () => {
  it('accepts a valid YAML policy and expands shorthand actions', () => {
    const policy = parsePolicy(GOOD);
    expect(policy.name).toBe('sectors');
    expect(policy.keys).toEqual({ community: 'community-2026' });
    expect(policy.recipients[0]?.rules[1]?.action).toEqual({ technique: 'suppress' });
    expect(policy.recipients[1]?.rules).toEqual([]);
  });

  it('accepts the same policy as JSON', () => {
    const json = JSON.stringify({ version: 1, name: 'j', keys: { k: 'key-1' }, recipients: [{ name: 'r', default: { technique: 'hmac', key: 'k', length: 32 } }] }, null, 2);
    expect(parsePolicy(json, 'json').recipients[0]?.default).toEqual({ technique: 'hmac', key: 'k', length: 32 });
  });

  it('reports every problem at once, each with its line, column and reason', () => {
    const text = [
      'version: 2', // 1: wrong version
      'name: bad',
      'keys: { community: community-2026 }',
      'recipients:',
      '  - name: r1',
      '    colour: blue', // 6: unknown key
      '    default: scramble', // 7: unknown technique
      '    rules:',
      '      - match: { type: [ip-dest], category: [Network activity] }', // 9: unknown MISP type
      '        action: { technique: cryptopan, key: vault }', // 10: key not declared
      '      - match: { type: [ip-src] }',
      '        action: { technique: truncate, prefix: 40 }', // 12: out of range
      '      - match: { to_ids: "yes" }', // 13: wrong type
      '        action: { technique: hmac, key: community, length: 8 }', // 14: out of range
      '      - match: { value: { regex: "([a-z" } }', // 15: bad regex
      '        action: keep',
      '  - name: r1', // 17: duplicate recipient
      '    default: keep',
    ].join('\n');
    const { message, problems } = problemsOf(() => parsePolicy(text, 'yaml', 'bad.yaml'));
    expect(problems.map((p) => p.line)).toEqual([1, 6, 7, 9, 10, 12, 13, 14, 15, 17]);
    expect(message).toContain('Invalid policy bad.yaml: 10 problems');
    expect(message).toMatch(/line 1: version: .*expected 1/);
    expect(message).toContain("line 6: recipients[0].colour: unknown key 'colour' (column 5)");
    expect(message).toMatch(/line 7: recipients\[0\]\.default\.technique: unknown technique; expected one of keep, suppress/);
    expect(message).toContain("line 9: recipients[0].rules[0].match.type[0]: 'ip-dest' is not a MISP attribute type");
    expect(message).toContain("line 10: recipients[0].rules[0].action.key: key 'vault' is not declared under `keys`");
    expect(message).toMatch(/line 12: recipients\[0\]\.rules\[1\]\.action\.prefix: Too big: expected number to be <=32/);
    expect(message).toMatch(/line 13: recipients\[0\]\.rules\[2\]\.match\.to_ids: Invalid input: expected boolean/);
    expect(message).toMatch(/line 14: .*length: Too small/);
    expect(message).toMatch(/line 15: .*regex: not a valid regular expression/);
    expect(message).toContain("line 17: recipients[1].name: recipient 'r1' is already defined (recipients[0])");
    expect(problems.find((p) => p.line === 10)?.column).toBe(46);
  });

  it('reports missing required fields and a truncate without any prefix', () => {
    const { message } = problemsOf(() => parsePolicy('version: 1\nrecipients:\n  - name: r\n    default: { technique: truncate }\n'));
    expect(message).toMatch(/line 1: name: Invalid input: expected string/);
    expect(message).toContain('line 4: recipients[0].default: truncate needs `prefix` (IPv4) and/or `prefix6` (IPv6)');
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(problemsOf(() => parsePolicy('version: 1\nname: x\nname: y\nrecipients: []\n')).message).toMatch(/line 3: \(document\): Map keys must be unique/);
    expect(problemsOf(() => parsePolicy('version: 1\nrecipients: [ { name: r\n')).message).toMatch(/line \d+: \(document\): /);
  });

  it('reports JSON syntax errors with their line', () => {
    const { problems } = problemsOf(() => parsePolicy('{\n  "version": 1,\n  "name": "x",,\n}', 'json'));
    expect(problems[0]?.line).toBe(3);
    expect(problems[0]?.message).toMatch(/not valid JSON/);
  });

  it('reports bad networks in value matchers and unknown categories', () => {
    const text = 'version: 1\nname: n\nrecipients:\n  - name: r\n    default: keep\n    rules:\n      - match: { category: [Netwrk activity], value: { cidr: [10.0.0.0/33] } }\n        action: suppress\n';
    const { message } = problemsOf(() => parsePolicy(text));
    expect(message).toContain("'Netwrk activity' is not a MISP category");
    expect(message).toContain("'10.0.0.0/33' is not an IP network");
  });
});

describe('loadPolicyFile and the default policy', () => {
  it('reads YAML and JSON files by extension, and names an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'waggle-policy-'));
    writeFileSync(join(dir, 'p.yaml'), GOOD);
    writeFileSync(join(dir, 'p.json'), JSON.stringify(parsePolicy(GOOD)));
    expect(loadPolicyFile(join(dir, 'p.yaml')).name).toBe('sectors');
    expect(loadPolicyFile(join(dir, 'p.json'))).toEqual(parsePolicy(GOOD));
    expect(() => loadPolicyFile(join(dir, 'missing.yaml'))).toThrow(/cannot read policy file .*missing\.yaml/);
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nname: b\nrecipients:\n  - name: r\n    default: nope\n');
    expect(() => loadPolicyFile(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml: 1 problem\n {2}line 5: /);
  });

  it('ships a valid default policy whose default action fails closed', () => {
    const policy = defaultPolicy();
    expect(policy.name).toBe('default');
    expect(policy.recipients.map((r) => r.name)).toEqual(['default']);
    expect(policy.recipients[0]?.default).toEqual({ technique: 'suppress' });
    expect(policy.keys).toEqual({ community: 'community' });
    const keyless = defaultPolicy({ withKeys: false });
    expect(JSON.stringify(keyless)).not.toMatch(/cryptopan|hmac/);
    expect(keyless.keys).toEqual({});
  });
});

describe('the README', () => {
  it('shows a policy that loads', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### The language'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const policy = parsePolicy(yaml ?? '', 'yaml', 'README.md');
    expect(policy.recipients.map((r) => r.name)).toEqual(['partners-energy', 'default']);
  });
});
