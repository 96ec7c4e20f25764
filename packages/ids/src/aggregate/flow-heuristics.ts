import type { FlowRecord } from '@waggle/flows';
import type { Finding } from '@waggle/findings';
import type { Observation } from '../observation.js';
import { DEFAULT_CAPS, addToGroup, groupToFinding, newGroup, type FindingGroup, type GroupCaps } from './finding-group.js';

/** Settings of {@link createFlowHeuristics}. */
export interface FlowHeuristicsOptions {
  readonly windowMs?: number;
  readonly latenessMs?: number;
  /** Distinct unanswered destination ports from one source to one host that make a port scan (default 100). */
  readonly scanPorts?: number;
  /** Connections from one source to one login service that make a brute-force attempt (default 30). */
  readonly bruteForceFlows?: number;
  readonly caps?: GroupCaps;
}

/** Cheap scan and brute-force detection over flow records. */
export interface FlowHeuristics {
  /** `unanswered`: the responder never completed the handshake. */
  add(flow: FlowRecord, unanswered: boolean): void;
  /** Findings of closed windows that crossed a threshold (all windows when `force`). */
  take(force?: boolean): Finding[];
}

/** Detector name the heuristics write in the attack_type record. */
export const FLOW_HEURISTICS_DETECTOR = 'waggle-flow-heuristics';
const VERSION = '1';

// Services where many short connections from one source mean password guessing.
const LOGIN_PORTS: Readonly<Record<number, string>> = {
  21: 'FTP', 22: 'SSH', 23: 'Telnet', 25: 'SMTP', 110: 'POP3', 143: 'IMAP', 445: 'SMB', 1433: 'MSSQL', 3306: 'MySQL', 3389: 'RDP', 5432: 'PostgreSQL', 5900: 'VNC',
};

interface Candidate {
  readonly group: FindingGroup;
  readonly distinct: Set<number>;
}

/**
 * Creates the heuristics: a port scan is one source reaching at least
 * `scanPorts` distinct ports of one host without answer in one window; a
 * brute-force attempt is at least `bruteForceFlows` TCP connections from one
 * source to one login port of one host in one window. Each is one finding.
 */
export function createFlowHeuristics(options: FlowHeuristicsOptions = {}): FlowHeuristics {
  const windowMs = options.windowMs ?? 3_600_000;
  const lateness = options.latenessMs ?? 60_000;
  const scanPorts = options.scanPorts ?? 100;
  const bruteFlows = options.bruteForceFlows ?? 30;
  const caps = options.caps ?? DEFAULT_CAPS;
  const scans = new Map<string, Candidate>();
  const brutes = new Map<string, Candidate>();
  let watermark = -Infinity;

  const fold = (map: Map<string, Candidate>, key: string, o: Observation, bucket: number, port: number): void => {
    const c = map.get(key);
    if (c === undefined) map.set(key, { group: newGroup(o, bucket, caps), distinct: new Set([port]) });
    else {
      addToGroup(c.group, o, caps);
      c.distinct.add(port);
    }
  };
  const base = (f: FlowRecord): Omit<Observation, 'signature' | 'attackType' | 'confidence'> => ({
    ts: f.ts, srcIp: f.srcIp, dstIp: f.dstIp, dstPort: f.dstPort, srcPort: f.srcPort, protocol: f.protocol, detector: FLOW_HEURISTICS_DETECTOR, detectorVersion: VERSION,
    ...(f.flowId === undefined ? {} : { flowId: f.flowId }),
  });
  const ready = (map: Map<string, Candidate>, force: boolean, keep: (c: Candidate) => boolean, out: Finding[]): void => {
    for (const [key, c] of map) {
      if (!force && (c.group.bucket + 1) * windowMs + lateness > watermark) continue;
      map.delete(key);
      if (keep(c)) out.push(groupToFinding(c.group));
    }
  };

  return {
    add(f, unanswered) {
      // Flows without addresses (CIC's MachineLearningCSV files) cannot say who scanned whom.
      if (f.srcIp === '' || f.dstIp === '') return;
      if (f.ts > watermark) watermark = f.ts;
      const bucket = Math.floor(f.ts / windowMs);
      if (unanswered && (f.protocol === 'tcp' || f.protocol === 'udp') && f.dstPort > 0) {
        const signature = `${f.protocol.toUpperCase()} port scan`;
        fold(scans, `${f.srcIp}\u0000${f.dstIp}\u0000${f.protocol}\u0000${String(bucket)}`, { ...base(f), signature, attackType: 'port-scan', confidence: 0.6 }, bucket, f.dstPort);
      }
      const service = LOGIN_PORTS[f.dstPort];
      if (service !== undefined && f.protocol === 'tcp') {
        const signature = `${service} brute force`;
        fold(brutes, `${f.srcIp}\u0000${f.dstIp}\u0000${String(f.dstPort)}\u0000${String(bucket)}`, { ...base(f), signature, attackType: 'brute-force', confidence: 0.6 }, bucket, f.srcPort);
      }
    },
    take(force = false) {
      const out: Finding[] = [];
      ready(scans, force, (c) => c.distinct.size >= scanPorts, out);
      ready(brutes, force, (c) => c.group.count >= bruteFlows, out);
      return out.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
    },
  };
}
