import { describe, expect, it } from 'vitest';
import { aFlow } from '../test-support/flow-fixtures.js';
import { flowsToFindings } from './flows-to-findings.js';

describe('flowsToFindings', () => {
  it('aggregates a 10,000-port scan into one finding and drops flows under the threshold', () => {
    const scan = Array.from({ length: 10_000 }, (_, i) => aFlow({ ts: 1000 + i, srcIp: '203.0.113.7', dstIp: '10.0.0.5', dstPort: i + 1, durationMs: 1, flowId: `${9007199254740993n + BigInt(i)}` }));
    const other = aFlow({ srcIp: '198.51.100.2', dstIp: '10.0.0.6', dstPort: 22, ts: 5000, durationMs: 100, srcPort: 41000 });
    const quiet = aFlow({ srcIp: '192.0.2.1' });
    const scores = [...scan.map(() => 0.9), 0.8, 0.2];
    const findings = flowsToFindings([...scan, other, quiet], scores, 0.75, '3');
    expect(findings).toHaveLength(2);
    const [s, o] = findings;
    expect(s).toMatchObject({ srcIp: '203.0.113.7', dstIp: '10.0.0.5', count: 10_000, firstSeen: new Date(1000).toISOString(), lastSeen: new Date(1000 + 9999 + 1).toISOString() });
    expect(s?.dstPorts).toHaveLength(1000);
    expect(s?.flowIds?.[0]).toBe('9007199254740993');
    expect(s?.attackType['waggle-ensemble']).toEqual({ version: '3', reference: expect.stringContaining('10.1016/j.inffus.2021.02.007'), attacks: [{ attack_type: 'port-scan', confidence: 0.9 }] });
    expect(o).toMatchObject({ count: 1, dstPort: 22, srcPort: 41000, attackType: { 'waggle-ensemble': { attacks: [{ attack_type: 'malicious-flow', confidence: 0.8 }] } } });
  });
});
