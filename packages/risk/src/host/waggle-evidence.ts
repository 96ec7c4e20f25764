import type { CveSighting, Evidence, HostAlert, SectorActor } from './evidence.js';
import {
  allTagNames, attributesOfAnswer, cvesIn, eventLabel, eventsOfAnswer, liveAttributes, sightingsOfAnswer, tagNames,
  type MispAttributeJson, type MispSightingJson,
} from './misp-json.js';

/** The tag every host risk report carries; such events are conclusions, never evidence. */
export const HOST_RISK_TAG = 'waggle:host-risk';

/** The tag the host agent (and {@link hostTag} users) put on events about one host. */
export function hostTag(host: string): string {
  return `waggle:host="${host.replace(/"/g, '')}"`;
}

/** The MISP galaxy tag of a sector (`misp-galaxy:sector="Finance"`). */
export function sectorTag(sector: string): string {
  return `misp-galaxy:sector="${sector.replace(/"/g, '')}"`;
}

/** What every mapping skips: events given by UUID (the host's own risk event) and every host risk report. */
export interface IgnoreOptions {
  readonly ignoreEventUuids?: readonly string[];
}

/** A mapping's result: the evidence and what was left out, and why. */
export interface MappedEvidence<T> {
  readonly items: T[];
  readonly notes: string[];
}

const num = (x: string | number | undefined): number | undefined => {
  if (x === undefined || x === '') return undefined;
  const n = Number(x);
  return Number.isFinite(n) ? n : undefined;
};

const TIME_OF_DAY = /^\d{4}-\d{2}-\d{2}/;
/** A sighting date: epoch seconds (MISP) or an ISO date. */
function seconds(x: string | number | undefined): number | undefined {
  const n = num(x);
  if (n !== undefined) return n;
  if (typeof x === 'string' && TIME_OF_DAY.test(x)) {
    const ms = Date.parse(x);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  }
  return undefined;
}

function ignored(ev: { uuid?: string; Tag?: readonly { name?: string }[] } | undefined, tags: readonly string[], opts: IgnoreOptions): boolean {
  if (ev?.uuid !== undefined && (opts.ignoreEventUuids ?? []).includes(ev.uuid)) return true;
  return tags.includes(HOST_RISK_TAG) || tagNames(ev?.Tag).includes(HOST_RISK_TAG);
}

// Tags that say "this was an attack using the CVE": ATT&CK exploitation techniques
// (T1190, T1203, T1210, T1211, T1212, T1068 all have "Exploit" in their names),
// kill-chain "Exploitation", VERIS "Exploit vuln", and a honeypot's report.
const EXPLOIT_TAG = /exploit/i;
const HONEYPOT_TAG = /^waggle:honeypot-sensor=/;

function exploitationSign(a: MispAttributeJson): string | undefined {
  const tag = tagNames(a.Tag).find((n) => EXPLOIT_TAG.test(n) || HONEYPOT_TAG.test(n));
  if (tag !== undefined) return `tag ${tag}`;
  if (EXPLOIT_TAG.test(a.comment ?? '')) return `comment "${(a.comment ?? '').slice(0, 60)}"`;
  return undefined;
}

/** Options of {@link sightingEvidence}. */
export interface SightingEvidenceOptions extends IgnoreOptions {
  /** The host's CVE ids; attributes naming others are ignored. */
  readonly cves: readonly string[];
  /** Only sightings and exploitation reports (by attribute timestamp) from this time on (epoch seconds); all when undefined. */
  readonly since?: number;
  /** A `sightings/restSearch` answer, for servers whose attribute search does not inline `Sighting` arrays. */
  readonly sightingsAnswer?: unknown;
}

/**
 * Exploitation evidence per CVE from an `attributes/restSearch` answer for
 * `type: vulnerability` (asked with `includeSightings` and `includeEventTags`):
 * every sighting of type 0 on such an attribute, plus every event whose tags or
 * comment say the CVE was exploited (a honeypot's exploit report, an ATT&CK
 * exploitation technique, kill-chain "Exploitation"). Each source is named.
 * @throws InputError when an answer is not a MISP answer.
 */
export function sightingEvidence(attributesAnswer: unknown, options: SightingEvidenceOptions): MappedEvidence<CveSighting> {
  const wanted = new Set(options.cves.map((c) => c.toUpperCase()));
  const notes: string[] = [];
  // Per CVE: distinct sightings (by UUID) and distinct exploiting events, each with where it came from.
  const seen = new Map<string, { sightings: Map<string, string>; events: Map<string, string> }>();
  const entry = (cve: string): { sightings: Map<string, string>; events: Map<string, string> } => {
    let e = seen.get(cve);
    if (e === undefined) seen.set(cve, (e = { sightings: new Map(), events: new Map() }));
    return e;
  };
  const byAttribute = new Map<string, { cve: string; label: string }>();
  let skippedOwn = 0;
  let tooOld = 0;
  const addSighting = (cve: string, s: MispSightingJson, label: string, key: string): void => {
    if (String(s.type ?? '0') !== '0') return;
    const when = seconds(s.date_sighting);
    if (options.since !== undefined && when !== undefined && when < options.since) {
      tooOld += 1;
      return;
    }
    const org = s.Organisation?.name ?? (s.source !== undefined && s.source !== '' ? s.source : undefined);
    entry(cve).sightings.set(s.uuid ?? `${key}:${String(s.id ?? entry(cve).sightings.size)}`, `sighting on ${cve} in ${label}${org !== undefined ? ` by ${org}` : ''}`);
  };
  let inlineSightings = true;
  for (const a of attributesOfAnswer(attributesAnswer)) {
    if (a.deleted === true || (a.type !== undefined && a.type !== 'vulnerability')) continue;
    const cve = cvesIn(a.value).find((c) => wanted.has(c));
    if (cve === undefined) continue;
    const evUuid = a.Event?.uuid ?? a.event_uuid;
    const evId = a.Event?.id ?? a.event_id;
    const ev = { ...(evUuid !== undefined && evUuid !== '' ? { uuid: evUuid } : {}), ...(a.Event?.info !== undefined ? { info: a.Event.info } : {}), ...(evId !== undefined ? { id: evId } : {}) };
    if (ignored(ev, tagNames(a.Tag), options)) {
      skippedOwn += 1;
      continue;
    }
    const label = eventLabel(ev);
    const key = String(a.uuid ?? a.id ?? `${cve}:${label}`);
    if (a.id !== undefined) byAttribute.set(`id:${String(a.id)}`, { cve, label });
    if (a.uuid !== undefined) byAttribute.set(`uuid:${a.uuid}`, { cve, label });
    if (a.Sighting === undefined) inlineSightings = false;
    for (const s of a.Sighting ?? []) addSighting(cve, s, label, key);
    const sign = exploitationSign(a);
    const eventKey = ev.uuid ?? String(ev.id ?? key);
    const stamp = num(a.timestamp);
    if (sign !== undefined && options.since !== undefined && stamp !== undefined && stamp < options.since) tooOld += 1;
    else if (sign !== undefined) entry(cve).events.set(eventKey, `exploitation of ${cve} reported in ${label} (${sign})`);
  }
  if (options.sightingsAnswer !== undefined) {
    for (const s of sightingsOfAnswer(options.sightingsAnswer)) {
      // Only sightings of the attributes above count: that keeps out other attribute types
      // and the attributes of host risk reports, which were skipped there.
      const known = byAttribute.get(`uuid:${s.attribute_uuid ?? ''}`) ?? byAttribute.get(`id:${String(s.attribute_id ?? '')}`);
      if (known !== undefined) addSighting(known.cve, s, known.label, `s:${String(s.attribute_id ?? '')}`);
    }
  } else if (!inlineSightings) notes.push('the server inlined no sightings in its attribute search; exploitation sightings may be missing');
  if (skippedOwn > 0) notes.push(`${skippedOwn} vulnerability attribute(s) in host risk reports ignored (a report is not evidence)`);
  if (tooOld > 0) notes.push(`${tooOld} sighting(s) or exploitation report(s) older than the evidence window ignored`);
  const items = [...seen]
    .map(([cve, e]) => ({ cve, count: e.sightings.size + e.events.size, sources: summarise([...e.sightings.values(), ...e.events.values()]) }))
    .filter((s) => s.count > 0)
    .sort((a, b) => a.cve.localeCompare(b.cve));
  return { items, notes };
}

/** Identical explanations counted once, with their number ("3× sighting on … by CIRCL"). */
function summarise(lines: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${n}× ${l}` : l));
}

/** Options of {@link alertEvidence}. */
export interface AlertEvidenceOptions extends IgnoreOptions {
  readonly host: string;
  /** Only alerts (attributes) from this time on (epoch seconds). */
  readonly since?: number;
}

// Rules whose alerts are routine administration, not signs of an intrusion.
const NOT_INTRUSION = new Set(['package-changed']);
const AGENT_COMMENT = /^([a-z0-9-]+) \((low|medium|high|critical)\): /;
const AGENT_RULE_TAG = /^waggle:agent-rule="([^"]+)"$/;

/**
 * Intrusion alerts on the host from an `events/restSearch` answer for its
 * `waggle:host="<host>"` tag. Host-agent events (`waggle:source="host-agent"`)
 * count one alert per `text` attribute, grouped by rule and severity (read from
 * the `waggle:agent-rule` tag and the `rule (severity): message` comment);
 * other events tagged with the host (an IDS's) count as one alert each. An
 * alert naming a CVE (attribute, comment or tag) becomes a CVE alert.
 * Package changes are routine, not intrusions, and are left out (noted).
 * @throws InputError when the answer is not a MISP answer.
 */
export function alertEvidence(eventsAnswer: unknown, options: AlertEvidenceOptions): MappedEvidence<HostAlert> {
  const notes: string[] = [];
  const groups = new Map<string, { signature: string; cve?: string; count: number; sources: Set<string> }>();
  const add = (signature: string, cve: string | undefined, source: string): void => {
    const key = `${signature}\u0000${cve ?? ''}`;
    const g = groups.get(key) ?? { signature, ...(cve !== undefined ? { cve } : {}), count: 0, sources: new Set<string>() };
    g.count += 1;
    g.sources.add(source);
    groups.set(key, g);
  };
  const tag = hostTag(options.host);
  let routine = 0;
  let notTagged = 0;
  for (const ev of eventsOfAnswer(eventsAnswer)) {
    const tags = tagNames(ev.Tag);
    if (ignored(ev, tags, options)) continue;
    if (!tags.includes(tag)) {
      notTagged += 1;
      continue;
    }
    const label = eventLabel(ev);
    const recent = (a: MispAttributeJson): boolean => options.since === undefined || (num(a.timestamp) ?? Number.POSITIVE_INFINITY) >= options.since;
    const attrs = liveAttributes(ev).filter(recent);
    if (tags.includes('waggle:source="host-agent"')) {
      for (const a of attrs) {
        if (a.type !== 'text') continue;
        const m = AGENT_COMMENT.exec(a.comment ?? '');
        const rule = tagNames(a.Tag).map((n) => AGENT_RULE_TAG.exec(n)?.[1]).find((r) => r !== undefined) ?? m?.[1] ?? 'agent-alert';
        if (NOT_INTRUSION.has(rule)) {
          routine += 1;
          continue;
        }
        const cve = cvesIn(`${a.comment ?? ''} ${a.value ?? ''}`)[0];
        add(`${rule} (${m?.[2] ?? 'unknown severity'})`, cve, label);
      }
      continue;
    }
    if (options.since !== undefined && attrs.length === 0 && (num(ev.timestamp) ?? Number.POSITIVE_INFINITY) < options.since) continue;
    const cves = new Set<string>();
    for (const a of attrs) {
      if (a.type === 'vulnerability') for (const c of cvesIn(a.value)) cves.add(c);
    }
    for (const n of allTagNames(ev)) for (const c of cvesIn(n)) cves.add(c);
    const signature = (ev.info ?? 'alert').slice(0, 80);
    if (cves.size === 0) add(signature, undefined, label);
    for (const c of cves) add(signature, c, label);
  }
  if (routine > 0) notes.push(`${routine} package-change alert(s) on ${options.host} left out: routine administration, not an intrusion`);
  if (notTagged > 0) notes.push(`${notTagged} event(s) in the answer do not carry ${tag} and were ignored`);
  const items = [...groups.values()]
    .map((g) => ({ signature: g.signature, ...(g.cve !== undefined ? { cve: g.cve } : {}), count: g.count, sources: [...g.sources] }))
    .sort((a, b) => a.signature.localeCompare(b.signature) || (a.cve ?? '').localeCompare(b.cve ?? ''));
  return { items, notes };
}

/** Options of {@link actorEvidence}. */
export type ActorEvidenceOptions = IgnoreOptions & { readonly sector: string };

const ACTOR_TAG = /^misp-galaxy:([a-z0-9-]*(?:threat-actor|intrusion-set|activity-group))="(.+)"$/;
const TECHNIQUE = /\b(T\d{4})(\.\d{3})?"?$/;

/** The actor named by a galaxy tag (`APT28` from `misp-galaxy:mitre-intrusion-set="APT28 - G0007"`). */
export function actorOfTag(tag: string): string | undefined {
  const m = ACTOR_TAG.exec(tag);
  if (m === null) return undefined;
  return (m[2] as string).replace(/ - G\d{4}$/, '').trim() || undefined;
}

/** The ATT&CK technique of a tag, plus its parent for a sub-technique (T1110.001 → T1110.001, T1110). */
export function techniquesOfTag(tag: string): string[] {
  if (!/attack-pattern|^mitre-attack:/.test(tag)) return [];
  const m = TECHNIQUE.exec(tag);
  if (m === null) return [];
  return m[2] === undefined ? [m[1] as string] : [`${m[1] as string}${m[2]}`, m[1] as string];
}

/**
 * Threat actors targeting the host's sector, from an `events/restSearch`
 * answer for the sector's galaxy tag: each event that carries the sector tag
 * and a threat-actor or intrusion-set galaxy tag gives its actors the ATT&CK
 * techniques tagged on the event (and its attributes) and the CVEs it names.
 * The same actor across events is merged; each event is listed as a source.
 * @throws InputError when the answer is not a MISP answer.
 */
export function actorEvidence(eventsAnswer: unknown, options: ActorEvidenceOptions): MappedEvidence<SectorActor> {
  const want = sectorTag(options.sector).toLowerCase();
  const actors = new Map<string, { name: string; techniques: Set<string>; cves: Set<string>; sources: Set<string> }>();
  let anonymous = 0;
  for (const ev of eventsOfAnswer(eventsAnswer)) {
    const tags = allTagNames(ev);
    if (ignored(ev, tags, options)) continue;
    if (!tags.some((t) => t.toLowerCase() === want)) continue;
    const names = [...new Set(tags.map(actorOfTag).filter((n): n is string => n !== undefined))];
    if (names.length === 0) {
      anonymous += 1;
      continue;
    }
    const techniques = tags.flatMap(techniquesOfTag);
    const cves = new Set<string>();
    for (const a of liveAttributes(ev)) if (a.type === 'vulnerability') for (const c of cvesIn(a.value)) cves.add(c);
    for (const t of tags) for (const c of cvesIn(t)) cves.add(c);
    for (const name of names) {
      const key = name.toLowerCase();
      const x = actors.get(key) ?? { name, techniques: new Set<string>(), cves: new Set<string>(), sources: new Set<string>() };
      for (const t of techniques) x.techniques.add(t);
      for (const c of cves) x.cves.add(c);
      x.sources.add(`${name} in ${eventLabel(ev)}`);
      actors.set(key, x);
    }
  }
  const notes = anonymous > 0 ? [`${anonymous} event(s) tagged with sector ${options.sector} name no threat actor (no threat-actor or intrusion-set galaxy tag)`] : [];
  const items = [...actors.values()]
    .map((x) => ({ name: x.name, techniques: [...x.techniques].sort(), cves: [...x.cves].sort(), sources: [...x.sources] }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { items, notes };
}

/** The answers of a waggle (or MISP) server {@link evidenceFromMisp} maps. */
export interface MispEvidenceAnswers {
  /** `attributes/restSearch` for `type: vulnerability` and the host's CVEs. */
  readonly vulnerabilityAttributes?: unknown;
  /** `sightings/restSearch` on those attributes, when the attribute search has no `Sighting` arrays. */
  readonly sightings?: unknown;
  /** `events/restSearch` for the host's tag. */
  readonly hostEvents?: unknown;
  /** `events/restSearch` for the sector's tag. */
  readonly sectorEvents?: unknown;
}

/** Options of {@link evidenceFromMisp}. */
export interface MispEvidenceOptions extends IgnoreOptions {
  readonly host: string;
  readonly cves: readonly string[];
  readonly sector?: string;
  /** Sightings and alerts older than this (epoch seconds) are left out. */
  readonly since?: number;
}

/**
 * All evidence from a server's answers, as {@link Evidence} for `assessHost`,
 * with notes on what was left out. Missing answers give no evidence of their kind.
 * @throws InputError when an answer is not a MISP answer.
 */
export function evidenceFromMisp(answers: MispEvidenceAnswers, options: MispEvidenceOptions): { evidence: Evidence; notes: string[] } {
  const ignore = options.ignoreEventUuids !== undefined ? { ignoreEventUuids: options.ignoreEventUuids } : {};
  const since = options.since !== undefined ? { since: options.since } : {};
  const s = answers.vulnerabilityAttributes === undefined ? { items: [], notes: [] } : sightingEvidence(answers.vulnerabilityAttributes, { cves: options.cves, ...ignore, ...since, ...(answers.sightings !== undefined ? { sightingsAnswer: answers.sightings } : {}) });
  const a = answers.hostEvents === undefined ? { items: [], notes: [] } : alertEvidence(answers.hostEvents, { host: options.host, ...ignore, ...since });
  const t = answers.sectorEvents === undefined || options.sector === undefined ? { items: [], notes: [] } : actorEvidence(answers.sectorEvents, { sector: options.sector, ...ignore });
  return { evidence: { sightings: s.items, alerts: a.items, actors: t.items }, notes: [...s.notes, ...a.notes, ...t.notes] };
}

/** Evidence from several places as one: lists joined, the same actor (by name) merged. */
export function mergeEvidence(...parts: readonly Evidence[]): Evidence {
  const actors = new Map<string, SectorActor>();
  for (const x of parts.flatMap((p) => p.actors ?? [])) {
    const key = x.name.toLowerCase();
    const had = actors.get(key);
    if (had === undefined) {
      actors.set(key, x);
      continue;
    }
    const union = (a: readonly string[] | undefined, b: readonly string[] | undefined): string[] => [...new Set([...(a ?? []), ...(b ?? [])])];
    const cves = union(had.cves, x.cves);
    const sources = union(had.sources, x.sources);
    actors.set(key, { name: had.name, techniques: union(had.techniques, x.techniques), ...(cves.length > 0 ? { cves } : {}), ...(sources.length > 0 ? { sources } : {}) });
  }
  return {
    sightings: parts.flatMap((p) => p.sightings ?? []),
    alerts: parts.flatMap((p) => p.alerts ?? []),
    actors: [...actors.values()],
  };
}
