import type { FindingProtocol } from '../observation.js';
import { portOf, protocolOf } from '../observation.js';

/** The EVE event types waggle reads; others are counted as `other`. */
export type EveEventType = 'alert' | 'flow' | 'dns' | 'http' | 'tls' | 'fileinfo' | 'anomaly';

/** Fields every EVE record shares (Suricata's EVE JSON output documentation). */
export interface EveCommon {
  readonly eventType: string;
  /** Epoch milliseconds of `timestamp`. */
  readonly ts: number;
  /** `flow_id` exactly as written (it exceeds 2^53, so it is never a JS number). */
  readonly flowId?: string;
  readonly srcIp?: string;
  readonly srcPort?: number;
  readonly destIp?: string;
  readonly destPort?: number;
  readonly proto: FindingProtocol;
  /** The whole record as parsed (numbers beyond 2^53 in it are approximate). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Outcome of {@link parseEveLine}. */
export type EveParse =
  | { readonly kind: 'event'; readonly event: EveCommon }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly reason: string };

// A key cannot occur unescaped inside a JSON string, so the first `"flow_id":` is the record's own.
function flowIdText(line: string): string | undefined {
  const at = line.indexOf('"flow_id"');
  if (at < 0) return undefined;
  let i = at + 9;
  while (line.charCodeAt(i) === 32) i += 1;
  if (line.charCodeAt(i) !== 58) return undefined; // ':'
  i += 1;
  while (line.charCodeAt(i) === 32) i += 1;
  const start = i;
  if (line.charCodeAt(i) === 45) i += 1; // '-'
  while (line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i += 1;
  return i > start ? line.slice(start, i) : undefined;
}

const EVE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2}):?(\d{2})|Z)?$/;

/**
 * Epoch milliseconds of an EVE time (`2026-12-02T10:00:00.123456+0000`, the
 * offset without a colon as Suricata writes it), or NaN. Parsed by hand:
 * `Date.parse` does not take `+0000` and is slow on the hot path.
 */
export function eveTime(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const m = EVE_TIME.exec(v);
  if (m === null) return NaN;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(m[7].slice(0, 3).padEnd(3, '0')));
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60_000;
  return utc - offset;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses one EVE JSON line. Never throws: a truncated or malformed line gives
 * `{kind: 'error', reason}` so the caller counts it with its line number.
 */
export function parseEveLine(text: string): EveParse {
  const t = text.charCodeAt(0) === 123 && text.charCodeAt(text.length - 1) === 125 ? text : text.trim();
  if (t === '') return { kind: 'blank' };
  let raw: unknown;
  try {
    raw = JSON.parse(t);
  } catch (e) {
    return { kind: 'error', reason: t.startsWith('{') && !t.endsWith('}') ? 'truncated JSON record' : `not JSON: ${(e as Error).message}` };
  }
  if (!isObject(raw)) return { kind: 'error', reason: 'not a JSON object' };
  if (typeof raw.event_type !== 'string' || raw.event_type === '') return { kind: 'error', reason: 'no event_type' };
  const ts = eveTime(raw.timestamp);
  if (Number.isNaN(ts)) return { kind: 'error', reason: `bad or missing timestamp ${JSON.stringify(raw.timestamp ?? null)}` };
  let flowId: string | undefined;
  if (raw.flow_id !== undefined) {
    flowId = flowIdText(t);
    if (flowId === undefined || typeof raw.flow_id !== 'number') return { kind: 'error', reason: 'flow_id is not an integer' };
  }
  const srcPort = portOf(raw.src_port);
  const destPort = portOf(raw.dest_port);
  const event: EveCommon = {
    eventType: raw.event_type,
    ts,
    proto: protocolOf(raw.proto),
    raw,
    ...(flowId === undefined ? {} : { flowId }),
    ...(typeof raw.src_ip === 'string' ? { srcIp: raw.src_ip } : {}),
    ...(typeof raw.dest_ip === 'string' ? { destIp: raw.dest_ip } : {}),
    ...(srcPort === undefined ? {} : { srcPort }),
    ...(destPort === undefined ? {} : { destPort }),
  };
  return { kind: 'event', event };
}

/** A nested EVE section (`alert`, `flow`, `dns`, …) as an object, or an empty one. */
export function sectionOf(event: EveCommon, name: string): Readonly<Record<string, unknown>> {
  const s = event.raw[name];
  return isObject(s) ? s : {};
}

/** A numeric field of a section, or 0. */
export function numberIn(section: Readonly<Record<string, unknown>>, name: string): number {
  const v = section[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
