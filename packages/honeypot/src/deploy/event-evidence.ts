import { techniqueOfTag } from '../report/attack-techniques.js';
import type { MispAttributeJson, MispEventJson } from './misp-event-json.js';

/** What an event says about an attack, in the terms the planner decides on. */
export interface EventEvidence {
  /** CVE ids, upper-case, with where each was found. */
  cves: Map<string, string>;
  techniques: Map<string, string>;
  ports: Map<number, string>;
  services: Map<string, string>;
  /** Failed logins seen in `cowrie` objects plus sightings of brute-force indicators. */
  failedLogins: number;
  bruteForceWhere: string[];
}

const CVE = /CVE-\d{4}-\d{4,}/gi;

function add<K>(map: Map<K, string>, key: K, where: string): void {
  if (!map.has(key)) map.set(key, where);
}

function portOf(v: string): number | undefined {
  const n = Number.parseInt(v, 10);
  return Number.isInteger(n) && n >= 1 && n <= 65535 && String(n) === v.trim() ? n : undefined;
}

function tagNames(list: { name?: string }[] | undefined): string[] {
  return (list ?? []).map((t) => t.name ?? '').filter((n) => n !== '');
}

/**
 * Collects the evidence of an event: CVEs (`vulnerability` attributes and
 * objects, `cve:` and other tags naming a CVE), ATT&CK techniques (galaxy
 * tags), targeted ports and services (`port`, `ip-dst|port`, `network-connection`
 * objects), and brute force (`cowrie` objects with failed logins, sightings).
 */
export function eventEvidence(ev: MispEventJson): EventEvidence {
  const e: EventEvidence = { cves: new Map(), techniques: new Map(), ports: new Map(), services: new Map(), failedLogins: 0, bruteForceWhere: [] };
  const fromTags = (names: string[], where: string): void => {
    for (const n of names) {
      for (const c of n.match(CVE) ?? []) add(e.cves, c.toUpperCase(), `tag ${n} on ${where}`);
      if (n.includes('mitre-attack-pattern') || /^mitre-attack:/.test(n)) {
        const t = techniqueOfTag(n);
        if (t !== undefined) add(e.techniques, t, `tag ${n} on ${where}`);
      }
    }
  };
  const fromAttribute = (a: MispAttributeJson, where: string): void => {
    const type = a.type ?? '';
    const value = a.value ?? '';
    const rel = a.object_relation ?? '';
    if (type === 'vulnerability') for (const c of value.match(CVE) ?? []) add(e.cves, c.toUpperCase(), `vulnerability attribute ${value} in ${where}`);
    if (type === 'port' || rel === 'dst-port') {
      const p = portOf(value);
      if (p !== undefined && rel !== 'src-port' && rel !== 'src_port') add(e.ports, p, `${rel === '' ? 'port attribute' : rel} ${value} in ${where}`);
    }
    if (type === 'ip-dst|port' || type === 'hostname|port' || type === 'domain|port') {
      const p = portOf(value.split('|')[1] ?? '');
      if (p !== undefined) add(e.ports, p, `${type} ${value} in ${where}`);
    }
    if (rel === 'layer7-protocol' || rel === 'protocol') add(e.services, value.toLowerCase(), `${rel} ${value} in ${where}`);
    fromTags(tagNames(a.Tag), `attribute ${type} ${value.slice(0, 60)}`);
  };
  fromTags(tagNames(ev.Tag), 'the event');
  for (const g of ev.Galaxy ?? []) for (const c of g.GalaxyCluster ?? []) fromTags([c.tag_name ?? `${g.type ?? ''}="${c.value ?? ''}"`], 'a galaxy cluster');
  for (const a of ev.Attribute ?? []) fromAttribute(a, 'the event');
  for (const o of ev.Object ?? []) {
    const where = `object ${o.name ?? '?'}`;
    for (const a of o.Attribute ?? []) fromAttribute(a, where);
    if (o.name === 'cowrie') {
      const rels = (r: string): string[] => (o.Attribute ?? []).filter((a) => a.object_relation === r).map((a) => a.value ?? '');
      const failed = rels('eventid').includes('cowrie.login.failed');
      // A session that failed logs every password it tried; one that succeeded lists them too.
      const attempts = failed ? Math.max(1, rels('password').length) : Math.max(0, rels('password').length - 1);
      if (attempts > 0) {
        e.failedLogins += attempts;
        e.bruteForceWhere.push(`${String(attempts)} failed logins in cowrie session ${rels('session')[0] ?? '?'}`);
      }
    }
  }
  for (const a of ev.Attribute ?? []) {
    if ((a.type === 'ip-src' || a.type === 'ip-dst') && e.techniques.has('T1110') && (a.Sighting?.length ?? 0) > 0) {
      e.failedLogins += a.Sighting?.length ?? 0;
      e.bruteForceWhere.push(`${String(a.Sighting?.length)} sightings of brute-forcing ${a.value ?? ''}`);
    }
  }
  return e;
}
