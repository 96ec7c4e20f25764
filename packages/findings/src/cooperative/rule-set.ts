import { InputError } from '@waggle/errors';
import { ipRange, type IpRange } from '@waggle/misp';
import { parse as parseYaml } from 'yaml';
import type { AttackEntry } from '../finding.js';
import { FINDING_PROTOCOLS } from '../object/validate-finding.js';

/** An inclusive port range; a single port is `{from: p, to: p}`. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** What a finding must look like for a rule to fire; every condition present must hold. */
export interface RuleConditions {
  readonly protocol?: readonly string[];
  /** At least one destination port in one of the ranges. */
  readonly dstPort?: readonly PortRange[];
  readonly srcPort?: readonly PortRange[];
  /** Source address in one of these addresses/CIDR blocks (a known-bad list, or an allow-list with a benign verdict). */
  readonly srcIp?: readonly IpRange[];
  readonly dstIp?: readonly IpRange[];
  readonly minCount?: number;
  readonly maxCount?: number;
  /** Distinct destination ports seen (scans touch many). */
  readonly minDstPorts?: number;
  /** Seconds between first and last observation. */
  readonly minDurationSeconds?: number;
  readonly maxDurationSeconds?: number;
  /** Observations per minute over the finding's span (a span under a minute counts as one minute). */
  readonly minRatePerMinute?: number;
  readonly maxRatePerMinute?: number;
  /** UTC hours of `firstSeen`, inclusive; `from > to` wraps midnight (22–5). */
  readonly hoursUtc?: { readonly from: number; readonly to: number };
  /** Case-insensitive regular expression the signature must match. */
  readonly signature?: RegExp;
  /** Another detector already named one of these attack types. */
  readonly otherDetectorSays?: readonly string[];
}

/** One rule: conditions and the verdict it gives. */
export interface Rule {
  readonly id: string;
  readonly description?: string;
  readonly when: RuleConditions;
  readonly verdict: AttackEntry;
}

/** A validated rule set. */
export interface RuleSet {
  readonly version: string;
  readonly rules: readonly Rule[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const CONDITION_KEYS = ['protocol', 'dstPort', 'srcPort', 'srcIp', 'dstIp', 'minCount', 'maxCount', 'minDstPorts', 'minDurationSeconds', 'maxDurationSeconds', 'minRatePerMinute', 'maxRatePerMinute', 'hoursUtc', 'signature', 'otherDetectorSays'];

function fail(field: string, message: string): never {
  throw new InputError(`rules: ${field} ${message}`, { field });
}

function keys(o: Json, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${field}.${k}`, `is not a known key (allowed: ${allowed.join(', ')})`);
}

function list(v: unknown, field: string): unknown[] {
  const l = Array.isArray(v) ? v : [v];
  if (l.length === 0) fail(field, 'must not be empty');
  return l;
}

function portRange(v: unknown, field: string): PortRange {
  const s = String(v).trim();
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  const from = m === null ? Number.NaN : Number(m[1]);
  const to = m === null ? Number.NaN : Number(m[2] ?? m[1]);
  if (!(from >= 1 && to <= 65_535 && from <= to)) fail(field, `must be a port or a range such as 1-1023 (got ${JSON.stringify(v)})`);
  return { from, to };
}

function ip(v: unknown, field: string): IpRange {
  const r = typeof v === 'string' ? ipRange(v) : undefined;
  if (r === undefined) fail(field, `must be an IP address or CIDR block (got ${JSON.stringify(v)})`);
  return r;
}

function num(v: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(field, `must be a number in [${String(min)}, ${String(max)}] (got ${JSON.stringify(v)})`);
  return v;
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(field, 'must be a non-empty string');
  return v;
}

function conditions(raw: unknown, field: string): RuleConditions {
  if (!isObject(raw)) fail(field, 'must be an object of conditions');
  keys(raw, CONDITION_KEYS, field);
  const c: Record<string, unknown> = {};
  if (raw.protocol !== undefined) c.protocol = list(raw.protocol, `${field}.protocol`).map((p, i) => {
    if (!FINDING_PROTOCOLS.includes(p as never)) fail(`${field}.protocol[${String(i)}]`, `must be one of ${FINDING_PROTOCOLS.join(', ')}`);
    return p;
  });
  for (const k of ['dstPort', 'srcPort'] as const) if (raw[k] !== undefined) c[k] = list(raw[k], `${field}.${k}`).map((p, i) => portRange(p, `${field}.${k}[${String(i)}]`));
  for (const k of ['srcIp', 'dstIp'] as const) if (raw[k] !== undefined) c[k] = list(raw[k], `${field}.${k}`).map((p, i) => ip(p, `${field}.${k}[${String(i)}]`));
  for (const k of ['minCount', 'maxCount', 'minDstPorts', 'minDurationSeconds', 'maxDurationSeconds', 'minRatePerMinute', 'maxRatePerMinute'] as const) {
    if (raw[k] !== undefined) c[k] = num(raw[k], `${field}.${k}`, 0);
  }
  if (raw.hoursUtc !== undefined) {
    const h = raw.hoursUtc;
    if (!isObject(h)) fail(`${field}.hoursUtc`, 'must be {from, to} with hours 0-23');
    keys(h, ['from', 'to'], `${field}.hoursUtc`);
    const from = num(h.from, `${field}.hoursUtc.from`, 0, 23);
    const to = num(h.to, `${field}.hoursUtc.to`, 0, 23);
    if (!Number.isInteger(from) || !Number.isInteger(to)) fail(`${field}.hoursUtc`, 'hours must be whole numbers');
    c.hoursUtc = { from, to };
  }
  if (raw.signature !== undefined) {
    const source = text(raw.signature, `${field}.signature`);
    try {
      c.signature = new RegExp(source, 'i');
    } catch (error) {
      fail(`${field}.signature`, `is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  if (raw.otherDetectorSays !== undefined) c.otherDetectorSays = list(raw.otherDetectorSays, `${field}.otherDetectorSays`).map((t, i) => text(t, `${field}.otherDetectorSays[${String(i)}]`));
  const r = c as RuleConditions;
  if (r.minCount !== undefined && r.maxCount !== undefined && r.minCount > r.maxCount) fail(`${field}`, 'has minCount above maxCount');
  return r;
}

function rule(raw: unknown, i: number, ids: Set<string>): Rule {
  const field = `rules[${String(i)}]`;
  if (!isObject(raw)) fail(field, 'must be an object {id, description?, when, verdict}');
  keys(raw, ['id', 'description', 'when', 'verdict'], field);
  const id = text(raw.id, `${field}.id`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) fail(`${field}.id`, 'must be 1-64 characters of letters, digits and ._-');
  if (ids.has(id)) fail(`${field}.id`, `"${id}" is used twice`);
  ids.add(id);
  const v = raw.verdict;
  if (!isObject(v)) fail(`${field}.verdict`, 'must be {attack_type, confidence}');
  keys(v, ['attack_type', 'confidence'], `${field}.verdict`);
  const verdict = { attack_type: text(v.attack_type, `${field}.verdict.attack_type`), confidence: num(v.confidence, `${field}.verdict.confidence`, 0, 1) };
  const description = raw.description === undefined ? undefined : text(raw.description, `${field}.description`);
  return { id, ...(description === undefined ? {} : { description }), when: conditions(raw.when ?? {}, `${field}.when`), verdict };
}

/** Validates a parsed rule document `{version, rules: [...]}`; throws `InputError` naming the field. */
export function validateRuleSet(raw: unknown): RuleSet {
  if (!isObject(raw)) fail('document', 'must be an object {version, rules}');
  keys(raw, ['version', 'rules'], 'document');
  const version = text(typeof raw.version === 'number' ? String(raw.version) : raw.version, 'version');
  if (!Array.isArray(raw.rules)) fail('rules', 'must be a list');
  const ids = new Set<string>();
  return { version, rules: raw.rules.map((r, i) => rule(r, i, ids)) };
}

/** Parses rule text, YAML or JSON (JSON is YAML), into a validated rule set. */
export function parseRuleSet(source: string): RuleSet {
  let doc: unknown;
  try {
    doc = parseYaml(source, { prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new InputError(`rules: not valid YAML or JSON: ${(error as Error).message}`, { field: 'document' });
  }
  return validateRuleSet(doc);
}
