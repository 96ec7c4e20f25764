import type { FlowRecord } from '@waggle/flows';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../observation.js';
import { createAggregator } from './alert-aggregator.js';
import { createFlowHeuristics, FLOW_HEURISTICS_DETECTOR } from './flow-heuristics.js';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const obs = (over: Partial<Observation> = {}): Observation => ({
  ts: T0, srcIp: '203.0.113.7', dstIp: '192.0.2.10', protocol: 'tcp', signature: 'ET SCAN NMAP -sS', signatureId: '2000537',
  detector: 'suricata', detectorVersion: '7.0.8', attackType: 'scan', confidence: 0.5, ...over,
});
const flow = (over: Partial<FlowRecord> = {}): FlowRecord => ({
  ts: T0, srcIp: '203.0.113.7', srcPort: 40000, dstIp: '192.0.2.10', dstPort: 80, protocol: 'tcp', durationMs: 0, fwdPackets: 1, bwdPackets: 0, fwdBytes: 60, bwdBytes: 0, ...over,
});

describe('alert aggregation', () => {
  it('makes a 10,000-port scan one finding with count 10,000 and the ports listed up to the cap', () => {
    const agg = createAggregator();
    for (let i = 0; i < 10_000; i += 1) agg.add(obs({ ts: T0 + i * 10, dstPort: 1 + i, srcPort: 40000 + (i % 7), flowId: String(BigInt('1234567890123456789') + BigInt(i)) }));
    const found = agg.take(true);
    expect(found).toHaveLength(1);
    const f = found[0];
    expect(f?.count).toBe(10_000);
    expect(f?.dstPorts).toHaveLength(1024);
    expect(f?.dstPorts?.slice(0, 3)).toEqual([1, 2, 3]);
    expect(f?.dstPort).toBeUndefined();
    expect(f?.srcPort).toBeUndefined(); // many source ports: none kept
    expect(f?.flowIds).toHaveLength(100);
    expect(f?.flowIds?.[0]).toBe('1234567890123456789');
    expect(f?.firstSeen).toBe('2026-12-02T10:00:00.000Z');
    expect(f?.lastSeen).toBe(new Date(T0 + 99_990).toISOString());
  });

  it('keys by source, destination, signature and window', () => {
    const agg = createAggregator({ windowMs: 60_000 });
    agg.add(obs());
    agg.add(obs({ dstIp: '192.0.2.11' }));
    agg.add(obs({ signature: 'other' }));
    agg.add(obs({ srcIp: '203.0.113.8' }));
    agg.add(obs({ ts: T0 + 61_000 }));
    agg.add(obs({ ts: T0 + 1000, confidence: 0.9, attackType: 'exploit', detectorVersion: 'unknown' }));
    const found = agg.take(true);
    expect(found).toHaveLength(5);
    const first = found.find((f) => f.count === 2);
    expect(first?.attackType).toEqual({ suricata: { version: '7.0.8', attacks: [{ attack_type: 'exploit', confidence: 0.9 }] } });
  });

  it('emits a window only once the stream has moved past it (plus lateness)', () => {
    const agg = createAggregator({ windowMs: 60_000, latenessMs: 5_000 });
    agg.add(obs());
    expect(agg.take()).toEqual([]);
    agg.add(obs({ srcIp: '203.0.113.9', ts: T0 + 64_000 }));
    expect(agg.take()).toEqual([]);
    agg.add(obs({ srcIp: '203.0.113.9', ts: T0 + 65_000 }));
    expect(agg.take().map((f) => f.srcIp)).toEqual(['203.0.113.7']);
    expect(agg.open).toBe(1);
    expect(agg.take(true)).toHaveLength(1);
    expect(agg.open).toBe(0);
  });

  it('emits the oldest group early when too many are open', () => {
    const agg = createAggregator({ maxGroups: 2 });
    agg.add(obs({ srcIp: '203.0.113.1' }));
    agg.add(obs({ srcIp: '203.0.113.2' }));
    agg.add(obs({ srcIp: '203.0.113.3' }));
    expect(agg.open).toBe(2);
    expect(agg.take().map((f) => f.srcIp)).toEqual(['203.0.113.1']);
  });
});

describe('flow heuristics', () => {
  it('finds a 10,000-port scan in unanswered flows as one finding', () => {
    const h = createFlowHeuristics();
    for (let i = 0; i < 10_000; i += 1) h.add(flow({ ts: T0 + i, dstPort: 1 + i, srcPort: 50000 }), true);
    for (let i = 0; i < 50; i += 1) h.add(flow({ srcIp: '192.0.2.99', dstPort: 1 + i }), false); // answered: not a scan
    const found = h.take(true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ srcIp: '203.0.113.7', dstIp: '192.0.2.10', count: 10_000, signature: 'TCP port scan', srcPort: 50000 });
    expect(found[0]?.dstPorts).toHaveLength(1024);
    expect(found[0]?.attackType[FLOW_HEURISTICS_DETECTOR]?.attacks).toEqual([{ attack_type: 'port-scan', confidence: 0.6 }]);
  });

  it('ignores flows without addresses', () => {
    const h = createFlowHeuristics();
    for (let i = 0; i < 500; i += 1) h.add(flow({ srcIp: '', dstIp: '', dstPort: 1 + i }), true);
    expect(h.take(true)).toEqual([]);
  });

  it('needs enough distinct ports for a scan', () => {
    const h = createFlowHeuristics({ scanPorts: 100 });
    for (let i = 0; i < 500; i += 1) h.add(flow({ dstPort: 1 + (i % 99) }), true);
    expect(h.take(true)).toEqual([]);
  });

  it('finds SSH brute force: many connections to port 22, not a few', () => {
    const h = createFlowHeuristics({ bruteForceFlows: 30 });
    for (let i = 0; i < 40; i += 1) h.add(flow({ ts: T0 + i * 1000, dstPort: 22, srcPort: 40000 + i, bwdPackets: 12, fwdPackets: 14 }), false);
    for (let i = 0; i < 10; i += 1) h.add(flow({ srcIp: '192.0.2.50', dstPort: 22, srcPort: 40000 + i, bwdPackets: 12 }), false);
    const found = h.take(true);
    expect(found.map((f) => [f.srcIp, f.signature, f.count, f.dstPort])).toEqual([['203.0.113.7', 'SSH brute force', 40, 22]]);
  });
});
