import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { aFinding } from '../object/test-support/a-finding.js';
import { defaultRuleSet } from './default-rules.js';
import { evaluateRules, matchingRules } from './evaluate-rules.js';
import { parseRuleSet } from './rule-set.js';

const one = (when: string, verdict = '{attack_type: x, confidence: 0.5}'): string => `version: "1"\nrules:\n  - id: r\n    when: ${when}\n    verdict: ${verdict}\n`;

describe('parseRuleSet', () => {
  it('parses YAML and JSON alike', () => {
    const y = parseRuleSet(one('{ protocol: tcp, dstPort: [22, "8000-8090"], srcIp: [198.51.100.0/24], minCount: 3, hoursUtc: {from: 22, to: 5}, signature: "^ET SCAN" }'));
    const j = parseRuleSet(JSON.stringify({ version: '1', rules: [{ id: 'r', when: { protocol: ['tcp'], dstPort: [22, '8000-8090'], srcIp: ['198.51.100.0/24'], minCount: 3, hoursUtc: { from: 22, to: 5 }, signature: '^ET SCAN' }, verdict: { attack_type: 'x', confidence: 0.5 } }] }));
    expect(j).toEqual(y);
    expect(y.rules[0]?.when.dstPort).toEqual([{ from: 22, to: 22 }, { from: 8000, to: 8090 }]);
  });

  it('loads the shipped default rules', () => {
    const rules = defaultRuleSet();
    expect(rules.rules.length).toBeGreaterThan(10);
    expect(rules.rules.some((r) => r.verdict.attack_type === 'benign')).toBe(true);
  });

  it.each([
    ['bad YAML', 'rules: [', /not valid YAML or JSON/],
    ['a list document', '[]', /document must be an object/],
    ['rules not a list', 'version: "1"\nrules: {}', /rules must be a list/],
    ['a missing version', 'rules: []', /version must be a non-empty string/],
    ['an unknown condition', one('{ dstPorts: 22 }'), /rules\[0\]\.when\.dstPorts is not a known key/],
    ['a bad port range', one('{ dstPort: "90-80" }'), /must be a port or a range/],
    ['port 0', one('{ dstPort: 0 }'), /must be a port or a range/],
    ['a bad network', one('{ srcIp: "10.0.0.0/33" }'), /must be an IP address or CIDR block/],
    ['an unknown protocol', one('{ protocol: http }'), /protocol\[0\] must be one of/],
    ['a negative count', one('{ minCount: -1 }'), /minCount must be a number/],
    ['min above max', one('{ minCount: 5, maxCount: 2 }'), /minCount above maxCount/],
    ['an hour of 24', one('{ hoursUtc: {from: 0, to: 24} }'), /hoursUtc\.to must be a number in \[0, 23\]/],
    ['a bad regular expression', one('{ signature: "(" }'), /not a valid regular expression/],
    ['a confidence above 1', one('{}', '{attack_type: x, confidence: 2}'), /verdict\.confidence must be a number in \[0, 1\]/],
    ['a verdict without type', one('{}', '{confidence: 0.2}'), /verdict\.attack_type must be a non-empty string/],
    ['an empty list', one('{ dstPort: [] }'), /dstPort must not be empty/],
    ['a duplicate id', 'version: "1"\nrules:\n  - {id: a, verdict: {attack_type: x, confidence: 1}}\n  - {id: a, verdict: {attack_type: y, confidence: 1}}', /"a" is used twice/],
    ['a duplicate key', 'version: "1"\nversion: "2"\nrules: []', /not valid YAML/],
  ])('rejects %s', (_label, text, pattern) => {
    let caught: unknown;
    try {
      parseRuleSet(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(pattern);
  });
});

describe('rule evaluation', () => {
  const rules = defaultRuleSet();
  const ids = (f: Parameters<typeof matchingRules>[1]): string[] => matchingRules(rules, f, 'waggle-rules').map((r) => r.id);

  it('flags an SSH brute force', () => {
    expect(evaluateRules(rules, aFinding(), 'waggle-rules', '1')).toEqual({ version: '1', reference: 'rule:ssh-brute-force', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.7 }] });
  });

  it('flags a port scan by distinct destination ports', () => {
    const ports = Array.from({ length: 25 }, (_, i) => 1000 + i);
    expect(ids(aFinding({ dstPort: 1000, dstPorts: ports, count: 25 }))).toEqual(['port-scan', 'port-scan-small']);
    const entry = evaluateRules(rules, aFinding({ dstPort: 1000, dstPorts: ports, count: 25 }), 'waggle-rules', '1');
    expect(entry?.attacks).toEqual([{ attack_type: 'port-scan', confidence: 0.8 }]);
  });

  it('says benign for a lone ping or an informational signature', () => {
    const ping = aFinding({ protocol: 'icmp', count: 1, signature: 'GPL ICMP_INFO PING' });
    const { srcPort: _s, dstPort: _d, ...noPorts } = ping;
    expect(evaluateRules(rules, noPorts, 'waggle-rules', '1')?.attacks).toEqual([{ attack_type: 'benign', confidence: 0.6 }]);
  });

  it('uses rates, durations and the time of day', () => {
    const beacon = aFinding({ dstPort: 8443, count: 60, firstSeen: '2026-12-02T01:00:00.000Z', lastSeen: '2026-12-02T03:00:00.000Z' });
    expect(ids(beacon)).toEqual(['beaconing']);
    const night = aFinding({ count: 4, firstSeen: '2026-12-02T03:10:00.000Z', lastSeen: '2026-12-02T03:11:00.000Z' });
    expect(ids(night)).toEqual(['off-hours-remote-access']);
    const flood = aFinding({ dstPort: 80, count: 10_000, firstSeen: '2026-12-02T10:00:00.000Z', lastSeen: '2026-12-02T10:05:00.000Z' });
    expect(ids(flood)).toEqual(['web-flood']);
  });

  it('abstains when no rule fires', () => {
    expect(evaluateRules(rules, aFinding({ dstPort: 5432, count: 2 }), 'waggle-rules', '1')).toBeUndefined();
  });

  it('matches address lists, wrapping hours and other detectors, never itself', () => {
    const custom = parseRuleSet(`version: "1"
rules:
  - id: known-bad
    when: { srcIp: [203.0.113.0/24, "2001:db8::/32"] }
    verdict: { attack_type: known-bad-source, confidence: 0.9 }
  - id: night
    when: { hoursUtc: { from: 22, to: 5 } }
    verdict: { attack_type: night, confidence: 0.2 }
  - id: confirms-ml
    when: { otherDetectorSays: [ssh-brute-force] }
    verdict: { attack_type: ssh-brute-force, confidence: 0.4 }
`);
    const m = (f: Parameters<typeof matchingRules>[1]): string[] => matchingRules(custom, f, 'self').map((r) => r.id);
    expect(m(aFinding())).toEqual(['known-bad', 'confirms-ml']);
    expect(m(aFinding({ srcIp: '2001:db8::5', firstSeen: '2026-12-02T23:00:00.000Z', lastSeen: '2026-12-02T23:30:00.000Z' }))).toEqual(['known-bad', 'night', 'confirms-ml']);
    expect(m(aFinding({ srcIp: '198.51.100.1', attackType: { self: { version: '1', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.4 }] } } }))).toEqual([]);
  });
});
