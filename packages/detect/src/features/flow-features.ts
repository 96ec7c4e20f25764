import type { FlowRecord } from '@waggle/flows';
import { PORT_CLASSES, portClass } from './port-class.js';

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'other'] as const;
const FLAGS = ['syn', 'ack', 'fin', 'rst', 'psh', 'urg'] as const;

/** Signed log transform for heavy-tailed counts: keeps order, tames outliers, safe on 0. */
export function slog(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return x >= 0 ? Math.log1p(x) : -Math.log1p(-x);
}

/** Names of the built-in (non-`extra`) features, in column order. */
export const BASE_FEATURE_NAMES: readonly string[] = [
  'log_duration_ms', 'log_fwd_packets', 'log_bwd_packets', 'log_fwd_bytes', 'log_bwd_bytes', 'log_total_bytes',
  'log_fwd_bytes_per_packet', 'log_bwd_bytes_per_packet', 'log_bwd_fwd_byte_ratio', 'log_bwd_fwd_packet_ratio',
  'log_packets_per_s', 'log_bytes_per_s', 'has_response',
  ...FLAGS.map((f) => `log_flag_${f}`), 'syn_share', 'rst_share', 'log_src_port',
  ...PORT_CLASSES.map((c) => `port_${c}`),
  ...PROTOCOLS.map((p) => `proto_${p}`),
];

/**
 * Writes one flow's raw (unscaled) features into `out` at `offset`: the built-in
 * features, then each `extra` column in the given order (missing columns are 0).
 */
export function writeRawFeatures(flow: FlowRecord, extraColumns: readonly string[], out: Float32Array, offset: number): void {
  const fp = num(flow.fwdPackets);
  const bp = num(flow.bwdPackets);
  const fb = num(flow.fwdBytes);
  const bb = num(flow.bwdBytes);
  const seconds = Math.max(num(flow.durationMs), 1) / 1000;
  const packets = fp + bp;
  let i = offset;
  const put = (v: number): void => {
    out[i] = Number.isFinite(v) ? v : 0;
    i += 1;
  };
  put(slog(num(flow.durationMs)));
  put(slog(fp));
  put(slog(bp));
  put(slog(fb));
  put(slog(bb));
  put(slog(fb + bb));
  put(slog(fp > 0 ? fb / fp : 0));
  put(slog(bp > 0 ? bb / bp : 0));
  put(slog(bb) - slog(fb));
  put(slog(bp) - slog(fp));
  put(slog(packets / seconds));
  put(slog((fb + bb) / seconds));
  put(bp > 0 ? 1 : 0);
  const flags = flow.flags ?? {};
  for (const f of FLAGS) put(slog(num(flags[f] ?? 0)));
  put(packets > 0 ? num(flags.syn ?? 0) / packets : 0);
  put(packets > 0 ? num(flags.rst ?? 0) / packets : 0);
  put(slog(num(flow.srcPort)));
  const pc = portClass(flow.dstPort);
  for (const c of PORT_CLASSES) put(c === pc ? 1 : 0);
  const proto = PROTOCOLS.includes(flow.protocol) ? flow.protocol : 'other';
  for (const p of PROTOCOLS) put(p === proto ? 1 : 0);
  const extra = flow.extra ?? {};
  for (const c of extraColumns) put(slog(num(extra[c] ?? 0)));
}

function num(v: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
