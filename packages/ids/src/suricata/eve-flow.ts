import type { FlowRecord } from '@waggle/flows';
import { flowProtocolOf } from '../observation.js';
import { eveTime, numberIn, sectionOf, type EveCommon } from './eve-event.js';

/** A flow record plus whether the responder never answered properly (scan evidence). */
export interface ObservedFlow {
  readonly flow: FlowRecord;
  readonly unanswered: boolean;
}

function timeOf(v: unknown, fallback: number): number {
  const t = eveTime(v);
  return Number.isNaN(t) ? fallback : t;
}

/** An EVE `flow` record as a flow record, or an error reason. */
export function eveToFlow(event: EveCommon): ObservedFlow | string {
  if (event.srcIp === undefined || event.destIp === undefined) return 'flow without src_ip/dest_ip';
  const f = sectionOf(event, 'flow');
  const tcp = sectionOf(event, 'tcp');
  const start = timeOf(f.start, event.ts);
  const end = timeOf(f.end, start);
  const flag = (k: string): number => (tcp[k] === true ? 1 : 0);
  const flags = { syn: flag('syn'), ack: flag('ack'), fin: flag('fin'), rst: flag('rst'), psh: flag('psh'), urg: flag('urg') };
  const bwdPackets = numberIn(f, 'pkts_toclient');
  const fwdPackets = numberIn(f, 'pkts_toserver');
  const flow: FlowRecord = {
    ts: start,
    srcIp: event.srcIp,
    srcPort: event.srcPort ?? 0,
    dstIp: event.destIp,
    dstPort: event.destPort ?? 0,
    protocol: flowProtocolOf(event.proto),
    durationMs: Math.max(0, end - start),
    fwdPackets,
    bwdPackets,
    fwdBytes: numberIn(f, 'bytes_toserver'),
    bwdBytes: numberIn(f, 'bytes_toclient'),
    ...(event.proto === 'tcp' ? { flags } : {}),
    ...(event.flowId === undefined ? {} : { flowId: event.flowId }),
  };
  return { flow, unanswered: bwdPackets === 0 || (flags.rst === 1 && fwdPackets <= 2 && numberIn(f, 'bytes_toclient') <= 60 * bwdPackets) };
}
