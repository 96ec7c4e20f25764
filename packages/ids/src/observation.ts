import type { Finding } from '@waggle/findings';

/** The transport protocols a finding can carry (the security-event template's list). */
export type FindingProtocol = Finding['protocol'];

/**
 * One raw detection (a Suricata alert, a Zeek notice, a flow heuristic hit)
 * before aggregation. Many observations with the same (detector, source,
 * destination, signature) in one window become one finding.
 */
export interface Observation {
  /** Epoch milliseconds. */
  readonly ts: number;
  readonly srcIp: string;
  readonly srcPort?: number;
  /** Empty when the detector names no destination (e.g. a Zeek address scan). */
  readonly dstIp: string;
  readonly dstPort?: number;
  readonly protocol: FindingProtocol;
  readonly signature: string;
  readonly signatureId?: string;
  /** Detector name as written in the attack_type record (`suricata`, `zeek`, …). */
  readonly detector: string;
  readonly detectorVersion: string;
  readonly reference?: string;
  readonly attackType: string;
  /** In [0, 1]. */
  readonly confidence: number;
  readonly flowId?: string;
  /** How many raw events this observation stands for (a Zeek notice's `n`); default 1. */
  readonly weight?: number;
}

/** A line that could not be used, with its 1-based line number and why. */
export interface ParseIssue {
  readonly line: number;
  readonly reason: string;
}

/** Maps a protocol name from a log (`TCP`, `tcp`, `6`) to the template's list. */
export function protocolOf(value: unknown): FindingProtocol {
  const p = String(value ?? '').toLowerCase();
  switch (p) {
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    case 'icmp':
    case '1':
      return 'icmp';
    case 'ipv6-icmp':
    case 'icmpv6':
    case '58':
      return 'icmpv6';
    case 'sctp':
    case '132':
      return 'sctp';
    case 'gre':
    case '47':
      return 'gre';
    case 'esp':
    case '50':
      return 'esp';
    case 'ah':
    case '51':
      return 'ah';
    case 'igmp':
    case '2':
      return 'igmp';
    default:
      return 'other';
  }
}

/** The flow model's narrower protocol set. */
export function flowProtocolOf(p: FindingProtocol): 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other' {
  return p === 'tcp' || p === 'udp' || p === 'icmp' || p === 'icmpv6' ? p : 'other';
}

/** A port number in 0–65535, or undefined. */
export function portOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
