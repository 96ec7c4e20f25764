import type { Finding, AttackTypeRecord } from '@waggle/findings';
import type { FlowRecord } from '@waggle/flows';

/** The detector's key in a finding's attack_type record. */
export const DETECTOR_NAME = 'waggle-ensemble';

/** Reference of the design the detector follows (cited in every entry). */
export const DETECTOR_REFERENCE = 'https://doi.org/10.1016/j.inffus.2021.02.007';

const MAX_PORTS = 1000;
const MAX_FLOW_IDS = 100;

/**
 * Turns scored flows into findings: flows at or over `threshold` are grouped by
 * (source, destination, protocol), so a scan of 10,000 ports is one finding with
 * count 10,000. Each finding carries the detector's entry with the highest score
 * of its flows as confidence.
 */
export function flowsToFindings(flows: readonly FlowRecord[], scores: ArrayLike<number>, threshold: number, version: string): Finding[] {
  interface Acc { flows: FlowRecord[]; max: number; ports: Set<number>; first: number; last: number }
  const groups = new Map<string, Acc>();
  flows.forEach((f, i) => {
    const s = scores[i] as number;
    if (!(s >= threshold)) return;
    const key = `${f.srcIp}|${f.dstIp}|${f.protocol}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { flows: [], max: 0, ports: new Set(), first: f.ts, last: f.ts };
      groups.set(key, g);
    }
    g.flows.push(f);
    g.max = Math.max(g.max, s);
    if (g.ports.size < MAX_PORTS && f.dstPort > 0) g.ports.add(f.dstPort);
    g.first = Math.min(g.first, f.ts);
    g.last = Math.max(g.last, f.ts + f.durationMs);
  });
  return [...groups.values()].map((g) => {
    const f0 = g.flows[0] as FlowRecord;
    const ports = [...g.ports].sort((a, b) => a - b);
    const attackType: AttackTypeRecord = {
      [DETECTOR_NAME]: { version, reference: DETECTOR_REFERENCE, attacks: [{ attack_type: dominantAttack(g.flows), confidence: Math.round(g.max * 1e4) / 1e4 }] },
    };
    const flowIds = g.flows.flatMap((f) => (f.flowId === undefined ? [] : [f.flowId])).slice(0, MAX_FLOW_IDS);
    return {
      srcIp: f0.srcIp,
      dstIp: f0.dstIp,
      ...(ports.length === 1 ? { dstPort: ports[0] as number } : {}),
      ...(ports.length > 1 ? { dstPorts: ports } : {}),
      ...(g.flows.length === 1 && f0.srcPort > 0 ? { srcPort: f0.srcPort } : {}),
      protocol: f0.protocol,
      firstSeen: new Date(g.first).toISOString(),
      lastSeen: new Date(g.last).toISOString(),
      signature: `waggle-ensemble: malicious flow${g.flows.length > 1 ? 's' : ''} (score ≥ ${threshold})`,
      count: g.flows.length,
      attackType,
      ...(flowIds.length > 0 ? { flowIds } : {}),
    };
  });
}

/** A binary detector does not know the attack class; scans are recognisable by their port spread. */
function dominantAttack(flows: readonly FlowRecord[]): string {
  const ports = new Set(flows.map((f) => f.dstPort));
  return ports.size >= 10 ? 'port-scan' : 'malicious-flow';
}
