import type { FlowRecord } from '@waggle/flows';
import { flowProtocolOf, portOf, protocolOf, type Observation } from '../observation.js';
import type { ObservedFlow } from '../suricata/eve-flow.js';
import { zeekNumber, zeekString, zeekTime, type ZeekRow } from './zeek-row.js';

// Zeek conn_state values where the responder never completed a handshake (conn.log documentation).
const UNANSWERED = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);

/** Counts of handshake letters in a Zeek `history` (upper case: originator, lower case: responder). */
function flagsOf(history: string): NonNullable<FlowRecord['flags']> {
  const count = (c: string): number => history.split('').filter((x) => x.toLowerCase() === c).length;
  return { syn: count('s'), ack: count('a'), fin: count('f'), rst: count('r') };
}

/** A `conn` row as a flow record, or an error reason. */
export function connToFlow(row: ZeekRow): ObservedFlow | string {
  const ts = zeekTime(row.fields.ts);
  const srcIp = zeekString(row, 'id.orig_h');
  const dstIp = zeekString(row, 'id.resp_h');
  if (Number.isNaN(ts)) return 'conn without a valid ts';
  if (srcIp === undefined || dstIp === undefined) return 'conn without id.orig_h/id.resp_h';
  const history = zeekString(row, 'history') ?? '';
  const state = zeekString(row, 'conn_state') ?? '';
  const proto = protocolOf(zeekString(row, 'proto'));
  const uid = zeekString(row, 'uid');
  const flow: FlowRecord = {
    ts,
    srcIp,
    srcPort: portOf(row.fields['id.orig_p']) ?? 0,
    dstIp,
    dstPort: portOf(row.fields['id.resp_p']) ?? 0,
    protocol: flowProtocolOf(proto),
    durationMs: Math.round((zeekNumber(row, 'duration') ?? 0) * 1000),
    fwdPackets: zeekNumber(row, 'orig_pkts') ?? 0,
    bwdPackets: zeekNumber(row, 'resp_pkts') ?? 0,
    fwdBytes: zeekNumber(row, 'orig_ip_bytes') ?? zeekNumber(row, 'orig_bytes') ?? 0,
    bwdBytes: zeekNumber(row, 'resp_ip_bytes') ?? zeekNumber(row, 'resp_bytes') ?? 0,
    ...(proto === 'tcp' && history !== '' ? { flags: flagsOf(history) } : {}),
    ...(uid === undefined ? {} : { flowId: uid }),
  };
  return { flow, unanswered: UNANSWERED.has(state) };
}

// Zeek notice names (base and policy scripts) → waggle attack types and a confidence.
const NOTES: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/^Scan::Port_Scan$/, 'port-scan', 0.8],
  [/^Scan::Address_Scan$/, 'address-scan', 0.8],
  [/Password_Guessing|Bruteforcing|Login_By_Password_Guesser/, 'brute-force', 0.8],
  [/SQL_Injection/, 'sql-injection', 0.7],
  [/^Intel::/, 'intel-match', 0.7],
  [/Heartbleed|Exploit/i, 'exploit', 0.8],
  [/Invalid_Server_Cert|Weak_Key|Old_Version|Certificate_Expired/, 'weak-crypto', 0.3],
];

/** The attack type and confidence for a Zeek notice name. */
export function attackOfNote(note: string): { attackType: string; confidence: number } {
  for (const [re, attackType, confidence] of NOTES) if (re.test(note)) return { attackType, confidence };
  return { attackType: note.replace(/::/g, '-').replace(/_/g, '-').toLowerCase(), confidence: 0.5 };
}

/** Destination of notices about many hosts (an address scan): the unspecified address. */
export const UNSPECIFIED = '0.0.0.0';

// SSH::Password_Guessing names its targets in `sub`: "Sampled servers:  192.0.2.10, 192.0.2.11".
function sampledServer(sub: string | undefined): string | undefined {
  const m = sub === undefined ? null : /^Sampled servers:\s+([0-9a-fA-F.:]+)/.exec(sub);
  return m?.[1];
}

/**
 * A `notice` row as an observation, or an error reason. The destination is
 * `dst`, else `id.resp_h`, else the first sampled server, else
 * {@link UNSPECIFIED} (the notice is about many hosts).
 */
export function noticeToObservation(row: ZeekRow, version: string): Observation | string {
  const ts = zeekTime(row.fields.ts);
  const note = zeekString(row, 'note');
  if (Number.isNaN(ts)) return 'notice without a valid ts';
  if (note === undefined) return 'notice without note';
  const srcIp = zeekString(row, 'src') ?? zeekString(row, 'id.orig_h');
  if (srcIp === undefined) return 'notice without src/id.orig_h';
  const dstIp = zeekString(row, 'dst') ?? zeekString(row, 'id.resp_h') ?? sampledServer(zeekString(row, 'sub')) ?? UNSPECIFIED;
  const srcPort = portOf(row.fields['id.orig_p']);
  const dstPort = portOf(row.fields.p) ?? portOf(row.fields['id.resp_p']);
  const uid = zeekString(row, 'uid');
  const n = zeekNumber(row, 'n');
  const { attackType, confidence } = attackOfNote(note);
  const proto = zeekString(row, 'proto');
  return {
    ts,
    srcIp,
    dstIp,
    protocol: proto === undefined ? (dstPort === undefined ? 'other' : 'tcp') : protocolOf(proto),
    signature: note,
    detector: 'zeek',
    detectorVersion: version,
    reference: `notice ${note}${zeekString(row, 'msg') === undefined ? '' : `: ${zeekString(row, 'msg') as string}`}`.slice(0, 512),
    attackType,
    confidence,
    ...(srcPort === undefined ? {} : { srcPort }),
    ...(dstPort === undefined ? {} : { dstPort }),
    ...(uid === undefined ? {} : { flowId: uid }),
    ...(n !== undefined && Number.isInteger(n) && n > 1 ? { weight: n } : {}),
  };
}
