import type { FlowProtocol, FlowRecord } from '../flow-record.js';

/** IPv4 + TCP header bytes with the timestamp option, as most stacks send them. */
export const TCP_HEADER = 52;
/** IPv4 + UDP header bytes. */
export const UDP_HEADER = 28;
/** Payload bytes per full TCP segment (1500-byte MTU minus headers). */
export const MSS = 1448;

/** Endpoints and timing of a flow being built. */
export interface FlowBase {
  readonly ts: number;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  readonly durationMs: number;
  readonly service?: string;
}

/** A flow without its ground truth. */
export type FlowDraft = Omit<FlowRecord, 'label' | 'attackType'>;

/**
 * A complete TCP connection carrying the given payloads: handshake (SYN, SYN-ACK, ACK), data in
 * MSS-sized segments, one delayed ACK per two segments from the other side, and a FIN each way
 * (or an RST from the client). Bytes count IP and TCP headers, as NetFlow and Zeek's `*_ip_bytes` do.
 */
export function tcpSession(base: FlowBase, fwdPayload: number, bwdPayload: number, requests = 1, close: 'fin' | 'rst' = 'fin'): FlowDraft {
  const fwdData = Math.ceil(fwdPayload / MSS);
  const bwdData = Math.ceil(bwdPayload / MSS);
  const fwdPackets = 2 + fwdData + Math.ceil(bwdData / 2) + 1;
  const bwdPackets = 1 + bwdData + Math.ceil(fwdData / 2) + (close === 'fin' ? 1 : 0);
  return {
    ...base,
    protocol: 'tcp',
    fwdPackets,
    bwdPackets,
    fwdBytes: Math.round(fwdPayload) + fwdPackets * TCP_HEADER,
    bwdBytes: Math.round(bwdPayload) + bwdPackets * TCP_HEADER,
    flags: {
      syn: 2,
      ack: fwdPackets + bwdPackets - 1,
      fin: close === 'fin' ? 2 : 0,
      rst: close === 'rst' ? 1 : 0,
      psh: Math.min(fwdData, requests) + Math.min(bwdData, requests),
      urg: 0,
    },
  };
}

/** A packet exchange without a connection (UDP, ICMP, or bare TCP segments such as a scan probe). */
export function packets(
  base: FlowBase,
  protocol: FlowProtocol,
  fwd: { packets: number; bytes: number },
  bwd: { packets: number; bytes: number },
  flags?: FlowRecord['flags'],
): FlowDraft {
  return {
    ...base,
    protocol,
    fwdPackets: fwd.packets,
    bwdPackets: bwd.packets,
    fwdBytes: Math.round(fwd.bytes),
    bwdBytes: Math.round(bwd.bytes),
    ...(flags === undefined ? {} : { flags }),
  };
}
