import type { FlowRecord } from '@waggle/flows';
import { seededRandom, type Random } from '../util/prng.js';

/** A test flow with defaults for every field. */
export function aFlow(over: Partial<FlowRecord> = {}): FlowRecord {
  return {
    ts: 1_780_000_000_000, srcIp: '10.0.0.1', srcPort: 50000, dstIp: '10.0.0.2', dstPort: 443, protocol: 'tcp',
    durationMs: 1200, fwdPackets: 10, bwdPackets: 12, fwdBytes: 1500, bwdBytes: 9000, flags: { syn: 1, ack: 20, fin: 2 }, label: 0, ...over,
  };
}

const heavy = (r: Random, scale: number): number => Math.floor(scale * Math.exp(3 * r() - 1.5));

function benign(r: Random, i: number): FlowRecord {
  const ports = [443, 80, 53, 443, 22, 3306];
  const dstPort = ports[Math.floor(r() * ports.length)] as number;
  const udp = dstPort === 53;
  const fp = 2 + heavy(r, 8);
  return aFlow({
    ts: 1_780_000_000_000 + i * 50, srcIp: `10.0.${Math.floor(r() * 4)}.${1 + Math.floor(r() * 200)}`, srcPort: 32768 + Math.floor(r() * 28000),
    dstIp: `192.0.2.${1 + Math.floor(r() * 50)}`, dstPort, protocol: udp ? 'udp' : 'tcp', durationMs: heavy(r, 800),
    fwdPackets: fp, bwdPackets: fp + heavy(r, 6), fwdBytes: fp * (60 + heavy(r, 200)), bwdBytes: fp * (200 + heavy(r, 900)),
    flags: udp ? {} : { syn: 1, ack: fp * 2, fin: 2, psh: Math.floor(fp / 2) }, label: 0, attackType: 'benign',
  });
}

function attack(r: Random, i: number): FlowRecord {
  const kind = Math.floor(r() * 3);
  const base = { ts: 1_780_000_000_000 + i * 50, srcIp: `203.0.113.${1 + Math.floor(r() * 20)}`, dstIp: `192.0.2.${1 + Math.floor(r() * 50)}`, label: 1 as const };
  if (kind === 0) {
    return aFlow({ ...base, srcPort: 40000 + Math.floor(r() * 100), dstPort: 1 + Math.floor(r() * 10000), durationMs: Math.floor(r() * 3), fwdPackets: 1, bwdPackets: r() < 0.7 ? 1 : 0, fwdBytes: 60, bwdBytes: 54, flags: { syn: 1, rst: 1 }, attackType: 'PortScan' });
  }
  if (kind === 1) {
    const fp = 12 + Math.floor(r() * 10);
    return aFlow({ ...base, dstPort: 22, durationMs: 2000 + heavy(r, 500), fwdPackets: fp, bwdPackets: fp + 2, fwdBytes: fp * 90, bwdBytes: fp * 110, flags: { syn: 1, ack: fp * 2, fin: 1, psh: fp }, attackType: 'SSH-Patator' });
  }
  return aFlow({ ...base, dstPort: 80, durationMs: 0, fwdPackets: 1, bwdPackets: 0, fwdBytes: 40, bwdBytes: 0, flags: { syn: 1 }, attackType: 'DoS' });
}

/** Seeded labelled flows for tests: heavy-tailed benign traffic plus scans, SSH brute force and SYN floods. */
export function labelledFlows(count: number, seed: number, attackShare = 0.3): FlowRecord[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => (r() < attackShare ? attack(r, i) : benign(r, i)));
}
