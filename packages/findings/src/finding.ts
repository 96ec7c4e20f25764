/**
 * A finding: one attack observation by one or more detectors, reported as a
 * MISP `security-event` object. Aggregated: a scan of 10,000 ports is one
 * finding with `count` 10,000, not 10,000 findings.
 */

/** One attack class a detector saw, with its confidence in [0, 1]. */
export interface AttackEntry {
  readonly attack_type: string;
  readonly confidence: number;
}

/** One detector's entry in the attack_type record. */
export interface DetectorEntry {
  readonly version: string;
  readonly reference?: string;
  readonly attacks: readonly AttackEntry[];
}

/**
 * The per-detector record kept in the object's `attack-type` attribute as JSON:
 * `{ "<detector>": { version, reference, attacks: [{ attack_type, confidence }] } }`.
 * Several detectors add their own keys to the same record.
 */
export type AttackTypeRecord = Readonly<Record<string, DetectorEntry>>;

export interface Finding {
  readonly srcIp: string;
  readonly srcPort?: number;
  readonly dstIp: string;
  /** The destination port when there is one; scans keep the ports seen in `dstPorts`. */
  readonly dstPort?: number;
  readonly dstPorts?: readonly number[];
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'gre' | 'esp' | 'ah' | 'igmp' | 'other';
  /** ISO 8601 times of the first and last observation. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly signature?: string;
  readonly signatureId?: string;
  /** Number of raw observations (alerts, flows) aggregated into this finding. */
  readonly count: number;
  readonly attackType: AttackTypeRecord;
  /** Analyst verdict: true verified, false false-positive, absent not reviewed. */
  readonly verified?: boolean;
  /** Optional packet-capture extract, attached to the object. */
  readonly pcap?: { readonly filename: string; readonly base64: string };
  /** Source flow ids (exact strings) aggregated into this finding, capped by the aggregator. */
  readonly flowIds?: readonly string[];
}
