import type { FlowRecord, FlowProtocol } from '@waggle/flows';
import { InputError } from '@waggle/errors';

const PROTOCOLS: readonly FlowProtocol[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'other'];
const COUNTS = ['durationMs', 'fwdPackets', 'bwdPackets', 'fwdBytes', 'bwdBytes'] as const;

/**
 * Checks one flow record received as JSON (feedback lines, `POST /score` bodies).
 * `where` prefixes error messages; with `requireLabel` the label must be 0 or 1.
 */
export function parseFlowRecord(v: unknown, where: string, requireLabel: boolean): FlowRecord {
  const bad = (why: string): InputError => new InputError(`${where}: ${why}`, { field: 'flow' });
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad('expected a JSON object (a flow record)');
  const o = v as Record<string, unknown>;
  const label = o.label;
  if (requireLabel ? label !== 0 && label !== 1 : label !== undefined && label !== 0 && label !== 1) throw bad('label must be 0 (benign) or 1 (attack)');
  for (const k of ['srcIp', 'dstIp'] as const) if (typeof o[k] !== 'string') throw bad(`${k} must be a string`);
  for (const k of ['srcPort', 'dstPort', ...COUNTS] as const) {
    const n = o[k] ?? 0;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw bad(`${k} must be a non-negative number`);
  }
  const protocol = o.protocol ?? 'tcp';
  if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol as FlowProtocol)) throw bad(`protocol must be one of ${PROTOCOLS.join(', ')}`);
  const numRecord = (x: unknown, what: string): Record<string, number> | undefined => {
    if (x === undefined) return undefined;
    if (x === null || typeof x !== 'object' || Object.values(x).some((n) => typeof n !== 'number' || !Number.isFinite(n))) throw bad(`${what} must be an object of numbers`);
    return x as Record<string, number>;
  };
  const flags = numRecord(o.flags, 'flags');
  const extra = numRecord(o.extra, 'extra');
  return {
    ts: typeof o.ts === 'number' ? o.ts : 0,
    srcIp: o.srcIp as string, srcPort: (o.srcPort as number | undefined) ?? 0,
    dstIp: o.dstIp as string, dstPort: (o.dstPort as number | undefined) ?? 0,
    protocol: protocol as FlowProtocol,
    durationMs: (o.durationMs as number | undefined) ?? 0,
    fwdPackets: (o.fwdPackets as number | undefined) ?? 0, bwdPackets: (o.bwdPackets as number | undefined) ?? 0,
    fwdBytes: (o.fwdBytes as number | undefined) ?? 0, bwdBytes: (o.bwdBytes as number | undefined) ?? 0,
    ...(flags === undefined ? {} : { flags }),
    ...(extra === undefined ? {} : { extra }),
    ...(label === 0 || label === 1 ? { label } : {}),
    ...(typeof o.attackType === 'string' ? { attackType: o.attackType } : {}),
  };
}

/**
 * Parses analyst feedback / consumer counter-evidence: JSON lines, each a flow record
 * with the label it should have had (`label`: 0 benign, 1 attack). Blank lines are
 * skipped; any bad line rejects the whole file, naming the line.
 */
export function parseFeedbackLines(text: string): FlowRecord[] {
  const flows: FlowRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new InputError(`feedback line ${i + 1}: not valid JSON`, { field: 'feedback' });
    }
    flows.push(parseFlowRecord(v, `feedback line ${i + 1}`, true));
  });
  if (flows.length === 0) throw new InputError('the feedback file holds no flows', { field: 'feedback' });
  return flows;
}

/** Serialises flows with their (claimed) labels as feedback JSON lines. */
export function toFeedbackLines(flows: readonly FlowRecord[]): string {
  return flows.map((f) => JSON.stringify(f)).join('\n') + (flows.length > 0 ? '\n' : '');
}
