import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse-policy.js';
import { keysWithCommunity } from './test-support/realistic-event.js';
import { utilityReport } from './utility-report.js';
import { formatUtilityTable } from './utility-table.js';

const policy = parsePolicy(`version: 1
name: u
keys: { k: community }
recipients:
  - name: r
    default: keep
    rules:
      - match: { type: [ip-dst], value: { internal_ip: true } }
        action: { technique: cryptopan, key: k }
      - match: { type: [text] }
        action: suppress
`);

let n = 0;
const a = (type: string, value: string, toIds = false) => ({ uuid: `u-${++n}`, type, value, to_ids: toIds });
const event = (uuid: string, attributes: object[]) => ({ Event: { uuid, info: 'x', Attribute: attributes } });

describe('utilityReport', () => {
  // Hand-computed: 9 attributes; 3 domains kept, 3 internal IPs transformed
  // (Crypto-PAn, stable), 3 texts suppressed. Equal-value pairs across events
  // before: 10.0.0.1 in A, A, B → 3 pairs − 1 inside A = 2; evil.example in
  // A, B, C → 3; "note" in A, B, C → 3; total 8. After, the IP and domain
  // pairs survive (2 + 3 = 5) and the text pairs do not: 5 of 8.
  // to_ids: 4 before (A's IP and domain, B's domain, C's text), 3 still sent.
  const events = [
    event('e-a', [a('ip-dst', '10.0.0.1', true), a('domain', 'evil.example', true), a('text', 'note'), a('ip-dst', '10.0.0.1')]),
    event('e-b', [a('ip-dst', '10.0.0.1'), a('domain', 'evil.example', true), a('text', 'note')]),
    event('e-c', [a('text', 'note', true), a('domain', 'evil.example')]),
  ];
  const report = utilityReport(events, policy, 'r', { keys: keysWithCommunity(), now: () => new Date('2026-03-05T00:00:00Z') });

  it('counts kept, transformed and suppressed attributes overall and per type', () => {
    expect(report.events).toBe(3);
    expect(report.attributes).toEqual({ total: 9, kept: 3, transformed: 3, suppressed: 3 });
    expect(report.byType).toEqual({
      'ip-dst': { total: 3, kept: 0, transformed: 3, suppressed: 0 },
      domain: { total: 3, kept: 3, transformed: 0, suppressed: 0 },
      text: { total: 3, kept: 0, transformed: 0, suppressed: 3 },
    });
  });

  it('measures correlations preserved and to_ids indicators kept', () => {
    expect(report.correlations).toEqual({ count: 5, of: 8, share: 0.625 });
    expect(report.toIds).toEqual({ count: 3, of: 4, share: 0.75 });
    expect(report.dp.applicable).toBe(false);
  });

  it('prints a readable table', () => {
    const table = formatUtilityTable(report);
    expect(table).toContain("Utility of policy 'u' for recipient 'r' over 3 events");
    expect(table).toMatch(/\(all\)\s+9\s+33\.3%\s+33\.3%\s+33\.3%/);
    expect(table).toMatch(/text\s+3\s+0\.0%\s+0\.0%\s+100\.0%/);
    expect(table).toContain('correlations preserved: 5 of 8 (62.5%)');
    expect(table).toContain('to_ids indicators kept: 3 of 4 (75.0%)');
  });

  it('gives null shares when there is nothing to compare', () => {
    const empty = utilityReport([], policy, 'r', { keys: keysWithCommunity(), now: () => new Date() });
    expect(empty.correlations).toEqual({ count: 0, of: 0, share: null });
    expect(formatUtilityTable(empty)).toContain('correlations preserved: 0 of 0 (-)');
  });
});
