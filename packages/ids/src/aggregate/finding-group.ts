import type { Finding } from '@waggle/findings';
import type { FindingProtocol, Observation } from '../observation.js';

/** Caps that keep one finding small however many events it aggregates. */
export interface GroupCaps {
  /** Most destination ports listed in a finding (default 1024). */
  readonly maxPorts: number;
  /** Most flow ids kept in a finding (default 100). */
  readonly maxFlowIds: number;
}

/** Default {@link GroupCaps}. */
export const DEFAULT_CAPS: GroupCaps = { maxPorts: 1024, maxFlowIds: 100 };

/** The observations of one (detector, source, destination, signature, window) aggregated so far. */
export interface FindingGroup {
  readonly bucket: number;
  readonly detector: string;
  detectorVersion: string;
  reference: string | undefined;
  readonly srcIp: string;
  readonly srcPorts: Set<number>;
  readonly dstIp: string;
  readonly protocol: FindingProtocol;
  readonly signature: string;
  readonly signatureId: string | undefined;
  first: number;
  last: number;
  count: number;
  readonly ports: Set<number>;
  readonly flowIds: string[];
  attackType: string;
  confidence: number;
}

/** A new group seeded with its first observation. */
export function newGroup(o: Observation, bucket: number, caps: GroupCaps): FindingGroup {
  const g: FindingGroup = {
    bucket,
    detector: o.detector,
    detectorVersion: o.detectorVersion,
    reference: o.reference,
    srcIp: o.srcIp,
    srcPorts: new Set(),
    dstIp: o.dstIp,
    protocol: o.protocol,
    signature: o.signature,
    signatureId: o.signatureId,
    first: o.ts,
    last: o.ts,
    count: 0,
    ports: new Set(),
    flowIds: [],
    attackType: o.attackType,
    confidence: o.confidence,
  };
  addToGroup(g, o, caps);
  return g;
}

/** Folds one more observation into a group. */
export function addToGroup(g: FindingGroup, o: Observation, caps: GroupCaps): void {
  g.count += o.weight ?? 1;
  if (o.ts < g.first) g.first = o.ts;
  if (o.ts > g.last) g.last = o.ts;
  // Ports 0 (ICMP, unset) are no ports at all for the security-event template.
  if (o.dstPort !== undefined && o.dstPort > 0 && g.ports.size < caps.maxPorts) g.ports.add(o.dstPort);
  if (o.srcPort !== undefined && o.srcPort > 0 && g.srcPorts.size < 2) g.srcPorts.add(o.srcPort);
  if (o.flowId !== undefined && g.flowIds.length < caps.maxFlowIds) g.flowIds.push(o.flowId);
  if (o.confidence > g.confidence) {
    g.confidence = o.confidence;
    g.attackType = o.attackType;
  }
  if (g.detectorVersion === 'unknown' && o.detectorVersion !== 'unknown') g.detectorVersion = o.detectorVersion;
}

/**
 * The finding of a group. One destination port is `dstPort`; several are
 * listed (sorted, capped) in `dstPorts`. A source port is kept only when all
 * observations shared it (a scan's source ports say nothing).
 */
export function groupToFinding(g: FindingGroup): Finding {
  const ports = [...g.ports].sort((a, b) => a - b);
  const srcPort = g.srcPorts.size === 1 ? [...g.srcPorts][0] : undefined;
  return {
    srcIp: g.srcIp,
    dstIp: g.dstIp,
    protocol: g.protocol,
    firstSeen: new Date(g.first).toISOString(),
    lastSeen: new Date(g.last).toISOString(),
    signature: g.signature,
    count: g.count,
    attackType: {
      [g.detector]: {
        version: g.detectorVersion,
        ...(g.reference === undefined ? {} : { reference: g.reference }),
        attacks: [{ attack_type: g.attackType, confidence: g.confidence }],
      },
    },
    ...(g.signatureId === undefined ? {} : { signatureId: g.signatureId }),
    ...(srcPort === undefined ? {} : { srcPort }),
    ...(ports.length === 1 ? { dstPort: ports[0] as number } : {}),
    ...(ports.length > 1 ? { dstPorts: ports } : {}),
    ...(g.flowIds.length === 0 ? {} : { flowIds: [...g.flowIds] }),
  };
}
