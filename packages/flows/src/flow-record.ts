/**
 * The common flow model every flow source (IDS logs, labelled datasets, the
 * synthetic generator, honeypot sessions) is mapped to, and every detector reads.
 * Fields a source cannot provide are 0 (counts) or absent (optional fields).
 */
export type FlowProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export interface FlowRecord {
  /** Start of the flow, epoch milliseconds. */
  readonly ts: number;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  readonly protocol: FlowProtocol;
  /** Flow duration in milliseconds. */
  readonly durationMs: number;
  /** Packets and bytes from the initiator (forward) and from the responder (backward). */
  readonly fwdPackets: number;
  readonly bwdPackets: number;
  readonly fwdBytes: number;
  readonly bwdBytes: number;
  /** TCP flag counts over the flow where known (SYN, ACK, FIN, RST, PSH, URG). */
  readonly flags?: Readonly<Partial<Record<'syn' | 'ack' | 'fin' | 'rst' | 'psh' | 'urg', number>>>;
  /** Further numeric features a source provides (dataset columns, IAT statistics), by column name. */
  readonly extra?: Readonly<Record<string, number>>;
  /** Ground truth where known: 1 attack, 0 benign. */
  readonly label?: 0 | 1;
  /** The attack class name where known (e.g. "PortScan", "SSH-Patator"); "benign" for benign flows. */
  readonly attackType?: string;
  /** Application protocol where the source names it (e.g. "http", "dns", "ssh"); absent when unknown. */
  readonly service?: string;
  /** Connection state or flag summary where the source gives one (UNSW-NB15 `state`, NSL-KDD `flag`). */
  readonly state?: string;
  /** The source's own flow id, kept exact as a string (Suricata flow_id exceeds 2^53). */
  readonly flowId?: string;
}
