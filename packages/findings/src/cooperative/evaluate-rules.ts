import { ipRange, type IpRange } from '@waggle/misp';
import type { AttackEntry, DetectorEntry, Finding } from '../finding.js';
import { destinationPorts } from '../object/finding-to-object.js';
import type { PortRange, Rule, RuleConditions, RuleSet } from './rule-set.js';

const inPorts = (p: number | undefined, ranges: readonly PortRange[]): boolean => p !== undefined && ranges.some((r) => p >= r.from && p <= r.to);

function inNetworks(value: string, networks: readonly IpRange[]): boolean {
  const r = ipRange(value);
  return r !== undefined && networks.some((n) => n.family === r.family && n.start <= r.start && r.end <= n.end);
}

function hourIn(iso: string, h: { from: number; to: number }): boolean {
  const hour = new Date(Date.parse(iso)).getUTCHours();
  return h.from <= h.to ? hour >= h.from && hour <= h.to : hour >= h.from || hour <= h.to;
}

/** What the conditions look at, computed once per finding. */
interface Facts {
  readonly ports: readonly number[];
  readonly seconds: number;
  readonly rate: number;
}

function factsOf(finding: Finding): Facts {
  const seconds = Math.max(0, (Date.parse(finding.lastSeen) - Date.parse(finding.firstSeen)) / 1000);
  return { ports: destinationPorts(finding), seconds, rate: finding.count / Math.max(1, seconds / 60) };
}

/** Whether every condition of `when` holds for `finding`; `self` is excluded from `otherDetectorSays`. */
export function ruleMatches(when: RuleConditions, finding: Finding, self: string): boolean {
  return holds(when, finding, self, factsOf(finding));
}

function holds(when: RuleConditions, finding: Finding, self: string, facts: Facts): boolean {
  const { ports, seconds, rate } = facts;
  const checks: (() => boolean)[] = [];
  if (when.protocol !== undefined) checks.push(() => (when.protocol ?? []).includes(finding.protocol));
  if (when.dstPort !== undefined) checks.push(() => ports.some((p) => inPorts(p, when.dstPort ?? [])));
  if (when.srcPort !== undefined) checks.push(() => inPorts(finding.srcPort, when.srcPort ?? []));
  if (when.srcIp !== undefined) checks.push(() => inNetworks(finding.srcIp, when.srcIp ?? []));
  if (when.dstIp !== undefined) checks.push(() => inNetworks(finding.dstIp, when.dstIp ?? []));
  if (when.minCount !== undefined) checks.push(() => finding.count >= (when.minCount ?? 0));
  if (when.maxCount !== undefined) checks.push(() => finding.count <= (when.maxCount ?? 0));
  if (when.minDstPorts !== undefined) checks.push(() => ports.length >= (when.minDstPorts ?? 0));
  if (when.minDurationSeconds !== undefined) checks.push(() => seconds >= (when.minDurationSeconds ?? 0));
  if (when.maxDurationSeconds !== undefined) checks.push(() => seconds <= (when.maxDurationSeconds ?? 0));
  if (when.minRatePerMinute !== undefined) checks.push(() => rate >= (when.minRatePerMinute ?? 0));
  if (when.maxRatePerMinute !== undefined) checks.push(() => rate <= (when.maxRatePerMinute ?? 0));
  if (when.hoursUtc !== undefined) checks.push(() => hourIn(finding.firstSeen, when.hoursUtc ?? { from: 0, to: 23 }));
  if (when.signature !== undefined) checks.push(() => finding.signature !== undefined && (when.signature as RegExp).test(finding.signature));
  if (when.otherDetectorSays !== undefined) {
    checks.push(() => Object.entries(finding.attackType).some(([name, e]) => name !== self && e.attacks.some((a) => (when.otherDetectorSays ?? []).includes(a.attack_type))));
  }
  return checks.every((c) => c());
}

/** The rules that fire for a finding, in rule-set order. */
export function matchingRules(rules: RuleSet, finding: Finding, self: string): Rule[] {
  const facts = factsOf(finding);
  return rules.rules.filter((r) => holds(r.when, finding, self, facts));
}

/**
 * The rule engine's verdict on a finding as a detector entry: one attack per
 * attack_type named by a firing rule, at the highest confidence any firing
 * rule gave it, ordered by confidence (then name); `reference` lists the
 * firing rule ids (`rule:a,b`). `undefined` when no rule fires — the engine
 * abstains rather than guessing, so it neither raises nor lowers confidence.
 */
export function evaluateRules(rules: RuleSet, finding: Finding, self: string, version: string): DetectorEntry | undefined {
  const fired = matchingRules(rules, finding, self);
  if (fired.length === 0) return undefined;
  const best = new Map<string, number>();
  for (const r of fired) best.set(r.verdict.attack_type, Math.max(best.get(r.verdict.attack_type) ?? 0, r.verdict.confidence));
  const attacks: AttackEntry[] = [...best.entries()]
    .map(([attack_type, confidence]) => ({ attack_type, confidence }))
    .sort((a, b) => b.confidence - a.confidence || (a.attack_type < b.attack_type ? -1 : 1))
    .slice(0, 64);
  const reference = `rule:${fired.map((r) => r.id).join(',')}`.slice(0, 1024);
  return { version, reference, attacks };
}
