import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { FlowRecord } from '@waggle/flows';

/** CIC-IDS2017's 85 GeneratedLabelledFlows columns, leading spaces included. */
const HEADER =
  'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, Fwd Packet Length Max, Fwd Packet Length Min, Fwd Packet Length Mean, Fwd Packet Length Std,Bwd Packet Length Max, Bwd Packet Length Min, Bwd Packet Length Mean, Bwd Packet Length Std,Flow Bytes/s, Flow Packets/s, Flow IAT Mean, Flow IAT Std, Flow IAT Max, Flow IAT Min,Fwd IAT Total, Fwd IAT Mean, Fwd IAT Std, Fwd IAT Max, Fwd IAT Min,Bwd IAT Total, Bwd IAT Mean, Bwd IAT Std, Bwd IAT Max, Bwd IAT Min,Fwd PSH Flags, Bwd PSH Flags, Fwd URG Flags, Bwd URG Flags, Fwd Header Length, Bwd Header Length,Fwd Packets/s, Bwd Packets/s, Min Packet Length, Max Packet Length, Packet Length Mean, Packet Length Std, Packet Length Variance,FIN Flag Count, SYN Flag Count, RST Flag Count, PSH Flag Count, ACK Flag Count, URG Flag Count, CWE Flag Count, ECE Flag Count, Down/Up Ratio, Average Packet Size, Avg Fwd Segment Size, Avg Bwd Segment Size, Fwd Header Length,Fwd Avg Bytes/Bulk, Fwd Avg Packets/Bulk, Fwd Avg Bulk Rate, Bwd Avg Bytes/Bulk, Bwd Avg Packets/Bulk,Bwd Avg Bulk Rate,Subflow Fwd Packets, Subflow Fwd Bytes, Subflow Bwd Packets, Subflow Bwd Bytes,Init_Win_bytes_forward, Init_Win_bytes_backward, act_data_pkt_fwd, min_seg_size_forward,Active Mean, Active Std, Active Max, Active Min,Idle Mean, Idle Std, Idle Max, Idle Min, Label';

const PROTOCOL_NUMBER: Record<FlowRecord['protocol'], number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58, other: 0 };

function dayFirst(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** One flow as a CIC-IDS2017 row: the totals from the flow, derived columns computed from them. */
export function cicRow(f: FlowRecord): string {
  const us = Math.round(f.durationMs * 1000);
  const seconds = us / 1e6;
  const total = f.fwdPackets + f.bwdPackets;
  const rate = (x: number): string => (us === 0 ? (x === 0 ? 'NaN' : 'Infinity') : (x / seconds).toFixed(3));
  const fMean = f.fwdPackets === 0 ? 0 : f.fwdBytes / f.fwdPackets;
  const bMean = f.bwdPackets === 0 ? 0 : f.bwdBytes / f.bwdPackets;
  const iat = total > 1 ? us / (total - 1) : 0;
  const flags = f.flags ?? {};
  const values: (string | number)[] = [
    `${f.dstIp}-${f.srcIp}-${f.dstPort}-${f.srcPort}-${PROTOCOL_NUMBER[f.protocol]}`, f.srcIp, f.srcPort, f.dstIp, f.dstPort, PROTOCOL_NUMBER[f.protocol], dayFirst(f.ts),
    us, f.fwdPackets, f.bwdPackets, f.fwdBytes, f.bwdBytes, Math.round(fMean * 1.5), 0, fMean.toFixed(3), (fMean * 0.6).toFixed(3), Math.round(bMean * 1.5), 0, bMean.toFixed(3), (bMean * 0.6).toFixed(3),
    rate(f.fwdBytes + f.bwdBytes), rate(total), iat.toFixed(1), (iat / 2).toFixed(1), us, 0, us, iat.toFixed(1), 0, us, 0, us, iat.toFixed(1), 0, us, 0,
    flags.psh ?? 0, 0, flags.urg ?? 0, 0, f.fwdPackets * 32, f.bwdPackets * 32, rate(f.fwdPackets), rate(f.bwdPackets), 0, Math.round(Math.max(fMean, bMean) * 1.5),
    ((f.fwdBytes + f.bwdBytes) / Math.max(1, total)).toFixed(3), 10, 100, flags.fin ?? 0, flags.syn ?? 0, flags.rst ?? 0, flags.psh ?? 0, flags.ack ?? 0, flags.urg ?? 0, 0, 0,
    f.fwdPackets === 0 ? 0 : Math.floor(f.bwdPackets / f.fwdPackets), ((f.fwdBytes + f.bwdBytes) / Math.max(1, total)).toFixed(3), fMean.toFixed(3), bMean.toFixed(3), f.fwdPackets * 32,
    0, 0, 0, 0, 0, 0, f.fwdPackets, f.fwdBytes, f.bwdPackets, f.bwdBytes, 29200, 28960, Math.max(0, f.fwdPackets - 2), 32, 0, 0, 0, 0, 0, 0, 0, 0,
    f.label === 1 ? (f.attackType ?? 'attack') : 'BENIGN',
  ];
  return values.join(',');
}

/** Writes flows as a CIC-IDS2017-format CSV; returns the bytes written. */
export async function writeCicCsv(path: string, flows: Iterable<FlowRecord>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (line: string): Promise<void> => {
    bytes += Buffer.byteLength(line) + 2;
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  };
  await write(HEADER);
  for (const flow of flows) await write(cicRow(flow));
  out.end();
  await once(out, 'finish');
  return bytes;
}
