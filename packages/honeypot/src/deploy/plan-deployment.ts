import type { Catalogue } from '../profiles/catalogue.js';
import type { Profile } from '../profiles/profile-types.js';
import { eventEvidence } from './event-evidence.js';
import type { MispEventJson } from './misp-event-json.js';

/** A closed port range, inclusive. */
export interface PortRange {
  from: number;
  to: number;
}

/** A honeypot already running, which counts against the caps. */
export interface RunningInstance {
  profile: string;
  port: number;
}

/** Bounds on what the planner may decide. */
export interface DeploymentCaps {
  maxInstances: number;
  /** Ports a honeypot may listen on; empty means any port from 1024 up (no root needed). */
  allowedPorts: readonly PortRange[];
  /** Lifetime given to a new honeypot, capped by `maxLifetimeMs`. */
  lifetimeMs: number;
  maxLifetimeMs: number;
  /** Failed logins from which an event counts as brute force. */
  bruteForceThreshold: number;
  running: readonly RunningInstance[];
}

/** Sensible caps: 4 instances, unprivileged ports, 24 h lifetime (7 days at most). */
export const DEFAULT_CAPS: DeploymentCaps = Object.freeze({
  maxInstances: 4,
  allowedPorts: [],
  lifetimeMs: 86_400_000,
  maxLifetimeMs: 7 * 86_400_000,
  bruteForceThreshold: 5,
  running: [],
});

/** Why a profile was chosen. */
export type TriggerKind = 'cve' | 'technique' | 'port' | 'service' | 'brute-force';

/** One decision of a plan, with its reason in words. */
export interface PlanDecision {
  action: 'start' | 'skip';
  profile: string;
  port?: number;
  lifetimeMs?: number;
  expiresAt?: string;
  trigger: { kind: TriggerKind; value: string };
  reason: string;
}

/** What to deploy for one event. */
export interface Plan {
  event: { uuid: string; info: string };
  createdAt: string;
  decisions: PlanDecision[];
  /** Evidence found but not acted on (e.g. a CVE no profile covers). */
  notes: string[];
}

interface Candidate {
  profile: Profile;
  kind: TriggerKind;
  value: string;
  why: string;
  port?: number;
}

const generic = (p: Profile): boolean => p.cves.length === 0;

/** Parses `2000-2999,8080` into ranges; throws RangeError on nonsense. */
export function parsePortRanges(text: string): PortRange[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(s);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (m === null || from < 1 || to > 65535 || from > to) throw new RangeError(`"${s}" is not a port or port range (e.g. 2000-2999)`);
    return { from, to };
  });
}

function allowed(caps: DeploymentCaps, port: number): boolean {
  if (caps.allowedPorts.length === 0) return port >= 1024;
  return caps.allowedPorts.some((r) => port >= r.from && port <= r.to);
}

function pickPort(c: Candidate, caps: DeploymentCaps, used: Set<number>): number | undefined {
  const wanted = [...(c.port === undefined ? [] : [c.port]), c.profile.default_port, ...c.profile.ports];
  for (const p of wanted) if (allowed(caps, p) && !used.has(p)) return p;
  // Otherwise the first free allowed port, so a lure for port 443 can still run on 8443 or 20443.
  const ranges = caps.allowedPorts.length === 0 ? [{ from: 1024, to: 65535 }] : caps.allowedPorts;
  for (const r of ranges) {
    const preferred = r.from + (c.profile.default_port % Math.max(1, r.to - r.from + 1));
    for (let i = 0; i <= r.to - r.from; i++) {
      const p = r.from + ((preferred - r.from + i) % (r.to - r.from + 1));
      if (!used.has(p)) return p;
    }
  }
  return undefined;
}

function candidates(ev: MispEventJson, catalogue: Catalogue, caps: DeploymentCaps, notes: string[]): Candidate[] {
  const e = eventEvidence(ev);
  const out: Candidate[] = [];
  for (const [cve, where] of e.cves) {
    const ps = catalogue.byCve(cve);
    if (ps.length === 0) notes.push(`${cve} (${where}): no profile covers it`);
    for (const p of ps) out.push({ profile: p, kind: 'cve', value: cve, why: `${cve} from ${where} is covered by profile ${p.name}` });
  }
  if (e.failedLogins >= caps.bruteForceThreshold) {
    const services = [...e.services.keys()].filter((s) => s === 'ssh' || s === 'telnet' || s === 'ftp');
    for (const s of services.length === 0 ? ['ssh'] : services) {
      for (const p of catalogue.byService(s).filter(generic)) out.push({ profile: p, kind: 'brute-force', value: String(e.failedLogins), why: `brute force: ${e.bruteForceWhere.join('; ')} (threshold ${String(caps.bruteForceThreshold)})` });
    }
  } else if (e.failedLogins > 0) notes.push(`${String(e.failedLogins)} failed logins, below the brute-force threshold ${String(caps.bruteForceThreshold)}`);
  for (const [t, where] of e.techniques) {
    const ps = catalogue.all().filter((p) => generic(p) && p.attack_techniques.some((x) => x === t || x.startsWith(`${t}.`) || t.startsWith(`${x}.`)));
    if (ps.length === 0) notes.push(`technique ${t} (${where}): only CVE-specific lures cover it; a CVE is needed to choose one`);
    for (const p of ps) out.push({ profile: p, kind: 'technique', value: t, why: `ATT&CK ${t} from ${where} is what profile ${p.name} records` });
  }
  for (const [port, where] of e.ports) {
    const ps = catalogue.byPort(port);
    // A port alone cannot choose between CVE lures, unless only one profile serves it.
    const gen = ps.length === 1 ? ps : ps.filter(generic);
    if (gen.length === 0) notes.push(`port ${String(port)} (${where}): ${ps.length === 0 ? 'no profile listens there' : `${String(ps.length)} CVE lures fit; a CVE is needed to choose one`}`);
    for (const p of gen) out.push({ profile: p, kind: 'port', value: String(port), why: `port ${String(port)} targeted (${where}) is served by profile ${p.name}`, port });
  }
  for (const [s, where] of e.services) {
    const ps = catalogue.byService(s);
    for (const p of ps.length === 1 ? ps : ps.filter(generic)) out.push({ profile: p, kind: 'service', value: s, why: `service ${s} targeted (${where}) is emulated by profile ${p.name}` });
  }
  return out;
}

/**
 * Decides which honeypots an event calls for. Pure and explainable: the
 * same event, catalogue, caps and time give the same plan, and every decision
 * (start or skip) carries the evidence and rule behind it. CVE evidence comes
 * first, then brute force, techniques, ports and services; one decision per
 * profile; caps (instances, ports, lifetime) are applied in that order.
 */
export function planDeployment(event: MispEventJson, catalogue: Catalogue, caps: DeploymentCaps, now: Date): Plan {
  const notes: string[] = [];
  const decisions: PlanDecision[] = [];
  const seen = new Set<string>();
  const used = new Set(caps.running.map((r) => r.port));
  const runningProfiles = new Set(caps.running.map((r) => r.profile));
  let slots = caps.maxInstances - caps.running.length;
  const lifetimeMs = Math.max(1, Math.min(caps.lifetimeMs, caps.maxLifetimeMs));
  for (const c of candidates(event, catalogue, caps, notes)) {
    if (seen.has(c.profile.name)) {
      const d = decisions.find((x) => x.profile === c.profile.name);
      if (d !== undefined && !d.reason.includes(c.why)) d.reason += `; also ${c.why}`;
      continue;
    }
    seen.add(c.profile.name);
    const trigger = { kind: c.kind, value: c.value };
    if (runningProfiles.has(c.profile.name)) {
      decisions.push({ action: 'skip', profile: c.profile.name, trigger, reason: `${c.why}, but it is already running` });
      continue;
    }
    if (slots <= 0) {
      decisions.push({ action: 'skip', profile: c.profile.name, trigger, reason: `${c.why}, but the cap of ${String(caps.maxInstances)} instances is reached` });
      continue;
    }
    const port = pickPort(c, caps, used);
    if (port === undefined) {
      decisions.push({ action: 'skip', profile: c.profile.name, trigger, reason: `${c.why}, but no allowed port is free` });
      continue;
    }
    used.add(port);
    slots -= 1;
    const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
    const portWhy = port === c.port ? 'the targeted port' : port === c.profile.default_port ? 'its default port' : 'an allowed free port';
    decisions.push({ action: 'start', profile: c.profile.name, port, lifetimeMs, expiresAt, trigger, reason: `${c.why}; on port ${String(port)} (${portWhy}) until ${expiresAt}` });
  }
  if (decisions.length === 0 && notes.length === 0) notes.push('no CVE, technique, port, service or brute-force evidence in the event');
  return { event: { uuid: event.uuid ?? '', info: event.info ?? '' }, createdAt: now.toISOString(), decisions, notes };
}
