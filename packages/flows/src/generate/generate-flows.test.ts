import { InputError } from '@waggle/errors';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../flow-record.js';
import { ATTACK_TYPES } from './attacks.js';
import { generateFlows, GENERATOR_BLOCK, iterateFlows } from './generate-flows.js';

const base = generateFlows({ seed: 42, count: 20000, attackRatio: 0.3 });

function of(flows: readonly FlowRecord[], type: string): FlowRecord[] {
  return flows.filter((f) => f.attackType === type);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function cv(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return sd / mean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function shares(flows: readonly FlowRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of flows) if (f.label === 1) counts.set(f.attackType ?? '', (counts.get(f.attackType ?? '') ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return new Map([...counts].map(([k, v]) => [k, v / total]));
}

describe('synthetic flow generator', () => {
  it('is deterministic: same options, same flows; another seed or chunk, other flows', () => {
    expect(generateFlows({ seed: 42, count: 20000, attackRatio: 0.3 })).toEqual(base);
    expect(generateFlows({ seed: 43, count: 2000 })).not.toEqual(generateFlows({ seed: 42, count: 2000 }));
    expect(generateFlows({ seed: 42, count: 2000, chunk: 1 })).not.toEqual(generateFlows({ seed: 42, count: 2000, chunk: 0 }));
    // Whole blocks of a longer run equal a shorter run.
    expect(generateFlows({ seed: 42, count: GENERATOR_BLOCK, attackRatio: 0.3 })).toEqual(base.slice(0, GENERATOR_BLOCK));
    expect([...iterateFlows({ seed: 'text-seed', count: 50 })]).toEqual(generateFlows({ seed: 'text-seed', count: 50 }));
  });

  it('hits the attack ratio exactly, labels every flow and sets attackType on each', () => {
    expect(base).toHaveLength(20000);
    expect(base.filter((f) => f.label === 1)).toHaveLength(6000);
    expect(base.every((f) => (f.label === 1) === (f.attackType !== 'benign'))).toBe(true);
    expect(new Set(base.map((f) => f.attackType))).toEqual(new Set(['benign', ...ATTACK_TYPES]));
    const start = Date.UTC(2026, 11, 1);
    expect(base.every((f) => f.ts >= start && f.durationMs >= 0 && f.fwdPackets >= 1 && f.fwdBytes >= f.fwdPackets * 20)).toBe(true);
    const firstBlock = base.slice(0, GENERATOR_BLOCK);
    expect(firstBlock.every((f, i) => i === 0 || (firstBlock[i - 1] as FlowRecord).ts <= f.ts)).toBe(true);
    expect(generateFlows({ seed: 1, count: 1000, attackRatio: 0 }).every((f) => f.label === 0)).toBe(true);
  });

  it('flips labels at the label-noise rate while attackType keeps the truth', () => {
    const noisy = generateFlows({ seed: 42, count: 20000, attackRatio: 0.3, labelNoise: 0.1 });
    const flipped = noisy.filter((f) => (f.label === 1) !== (f.attackType !== 'benign')).length / noisy.length;
    expect(flipped).toBeGreaterThan(0.09);
    expect(flipped).toBeLessThan(0.11);
  });

  it('port scans: one source probing many ports with at most 3 packets, SYN set', () => {
    const scans = of(base, 'port-scan');
    expect(scans.every((f) => f.protocol === 'tcp' && f.fwdPackets + f.bwdPackets <= 3 && (f.flags?.syn ?? 0) >= 1 && f.fwdBytes <= 100)).toBe(true);
    const campaigns = [...groupBy(scans, (f) => `${f.srcIp}>${f.dstIp}`).values()].filter((c) => c.length >= 50);
    expect(campaigns.length).toBeGreaterThan(0);
    for (const c of campaigns) expect(new Set(c.map((f) => f.dstPort)).size).toBeGreaterThan(c.length * 0.9);
  });

  it('SSH brute force: many similar short sessions from one source to port 22', () => {
    const ssh = of(base, 'ssh-bruteforce');
    expect(ssh.every((f) => f.dstPort === 22 && f.protocol === 'tcp' && f.durationMs < 5000)).toBe(true);
    for (const c of groupBy(ssh, (f) => f.srcIp).values()) {
      if (c.length < 10) continue;
      expect(new Set(c.map((f) => f.dstIp)).size).toBe(1);
      expect(cv(c.map((f) => f.fwdBytes))).toBeLessThan(0.15);
    }
  });

  it('HTTP brute force and web exploits hit web ports; exploits send far more than they get back', () => {
    expect(of(base, 'http-bruteforce').every((f) => [80, 443, 8080].includes(f.dstPort))).toBe(true);
    const exploits = of(base, 'web-exploit');
    expect(exploits.every((f) => [80, 443, 8080, 8443].includes(f.dstPort))).toBe(true);
    expect(median(exploits.map((f) => f.fwdBytes / f.bwdBytes))).toBeGreaterThan(2);
    expect(median(of(base, 'benign').filter((f) => f.service === 'https').map((f) => f.fwdBytes / f.bwdBytes))).toBeLessThan(1);
  });

  it('SYN floods come from many spoofed sources, one SYN each and at most a SYN-ACK back', () => {
    const flood = of(base, 'syn-flood');
    expect(flood.every((f) => f.fwdPackets <= 2 && f.bwdPackets <= 1 && (f.flags?.syn ?? 0) >= 1 && f.durationMs === 0)).toBe(true);
    expect(new Set(flood.map((f) => f.srcIp)).size).toBeGreaterThan(flood.length * 0.9);
  });

  it('C2 beacons are periodic small flows from one host to one external server; exfiltration is large and one-way', () => {
    for (const c of groupBy(of(base, 'c2-beacon'), (f) => `${f.srcIp}>${f.dstIp}`).values()) {
      if (c.length < 5) continue;
      const sorted = [...c].sort((a, b) => a.ts - b.ts);
      const gaps = sorted.slice(1).map((f, i) => f.ts - (sorted[i] as FlowRecord).ts);
      expect(cv(gaps)).toBeLessThan(0.35);
      expect(median(c.map((f) => f.fwdBytes))).toBeLessThan(1500);
      expect(c[0]?.dstIp.startsWith('10.')).toBe(false);
    }
    const exfil = of(generateFlows({ seed: 7, count: 3000, attackRatio: 0.01, attacks: ['exfiltration'] }), 'exfiltration');
    expect(exfil).toHaveLength(30);
    expect(exfil.every((f) => f.fwdBytes > 1e6 && f.fwdBytes > 20 * f.bwdBytes && f.srcIp.startsWith('10.'))).toBe(true);
  });

  it('benign traffic is heavy-tailed and has DNS/NTP exchanges of one packet each way', () => {
    const web = of(base, 'benign').filter((f) => f.service === 'https' || f.service === 'http');
    const bytes = web.map((f) => f.bwdBytes);
    expect(Math.max(...bytes) / median(bytes)).toBeGreaterThan(100);
    const dns = of(base, 'benign').filter((f) => f.service === 'dns');
    expect(dns.length).toBeGreaterThan(1000);
    expect(dns.every((f) => f.protocol === 'udp' && f.dstPort === 53 && f.fwdPackets === 1 && f.bwdPackets === 1)).toBe(true);
  });

  it('drifts between chunks: attack mix and benign mix change', () => {
    const a = shares(generateFlows({ seed: 42, count: 20000, attackRatio: 0.3, chunk: 1 }));
    const b = shares(generateFlows({ seed: 42, count: 20000, attackRatio: 0.3, chunk: 2 }));
    const distance = ATTACK_TYPES.reduce((sum, t) => sum + Math.abs((a.get(t) ?? 0) - (b.get(t) ?? 0)), 0) / 2;
    expect(distance).toBeGreaterThan(0.05);
    const day = 86_400_000;
    expect(generateFlows({ seed: 42, count: 10, chunk: 2 })[0]!.ts).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 1) + 2 * day);
  });

  it('draws only the requested attack types', () => {
    const flows = generateFlows({ seed: 5, count: 5000, attackRatio: 0.5, attacks: ['port-scan', 'syn-flood'] });
    expect(new Set(flows.filter((f) => f.label === 1).map((f) => f.attackType))).toEqual(new Set(['port-scan', 'syn-flood']));
  });

  it('rejects bad options', () => {
    expect(() => generateFlows({ seed: 1, count: -1 })).toThrow(InputError);
    expect(() => generateFlows({ seed: 1, count: 1.5 })).toThrow(/count/);
    expect(() => generateFlows({ seed: Number.NaN, count: 1 })).toThrow(/seed/);
    expect(() => generateFlows({ seed: 1, count: 1, chunk: -1 })).toThrow(/chunk/);
    expect(() => generateFlows({ seed: 1, count: 1, attackRatio: 1.5 })).toThrow(/attackRatio/);
    expect(() => generateFlows({ seed: 1, count: 1, labelNoise: -0.1 })).toThrow(/labelNoise/);
    expect(() => generateFlows({ seed: 1, count: 1, attacks: ['teleport' as never] })).toThrow(/unknown attack types: teleport/);
    expect(() => generateFlows({ seed: 1, count: 1, attacks: [] })).toThrow(/attacks is empty/);
    expect(() => generateFlows({ seed: 1, count: 1, drift: -1 })).toThrow(/drift/);
    expect(() => generateFlows({ seed: 1, count: 1, flowsPerSecond: 0 })).toThrow(/flowsPerSecond/);
    expect(() => iterateFlows({ seed: 1, count: -5 })).toThrow(/count/);
    expect(generateFlows({ seed: 1, count: 0 })).toEqual([]);
  });
});
