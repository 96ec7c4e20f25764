import { InputError } from '@waggle/errors';

/** Exploitation sightings of one CVE reported to waggle (MISP sightings of type 0 on a vulnerability attribute). */
export interface CveSighting {
  readonly cve: string;
  readonly count: number;
  /** Where the figure comes from (sighting, event), quoted in the factor's reason. */
  readonly sources?: readonly string[];
}

/** An intrusion alert on this host; `cve` when the alert names the exploited vulnerability. */
export interface HostAlert {
  readonly cve?: string;
  readonly count?: number;
  readonly signature?: string;
  readonly sources?: readonly string[];
}

/** A threat actor known to target this host's sector, with its ATT&CK techniques and exploited CVEs. */
export interface SectorActor {
  readonly name: string;
  readonly techniques: readonly string[];
  readonly cves?: readonly string[];
  readonly sources?: readonly string[];
}

/** What waggle knows beyond the inventory; each kind is one likelihood-ratio update. */
export interface Evidence {
  readonly sightings?: readonly CveSighting[];
  readonly alerts?: readonly HostAlert[];
  readonly actors?: readonly SectorActor[];
}

/**
 * Reads evidence from JSON: `{ "sightings": [{ "cve", "count" }], "alerts": [{ "cve"?, "count"?, "signature"? }],
 * "actors": [{ "name", "techniques": ["T1190"], "cves"?: [...] }] }`; every entry may carry
 * `"sources": ["..."]`, the sightings or events it comes from, quoted in the explanation.
 * @throws InputError naming the first bad part.
 */
export function parseEvidence(text: string): Evidence {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`evidence: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError('evidence: expected an object with sightings, alerts and actors');
  const o = json as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => {
    const v = o[key] ?? [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null)) throw new InputError(`evidence: ${key} must be an array of objects`, { field: key });
    return v as Record<string, unknown>[];
  };
  const strs = (v: unknown, where: string): string[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InputError(`evidence: ${where} must be an array of strings`, { field: where });
    return v as string[];
  };
  const sourcesOf = (x: Record<string, unknown>, where: string): { sources?: string[] } => (x.sources === undefined ? {} : { sources: strs(x.sources, `${where}.sources`) });
  const sightings = list('sightings').map((s, i) => {
    if (typeof s.cve !== 'string' || typeof s.count !== 'number' || !(s.count >= 0)) throw new InputError(`evidence: sightings[${i}] needs a cve and a count >= 0`, { field: 'sightings' });
    return { cve: s.cve, count: s.count, ...sourcesOf(s, `sightings[${i}]`) };
  });
  const alerts = list('alerts').map((a, i) => {
    if ((a.cve !== undefined && typeof a.cve !== 'string') || (a.count !== undefined && (typeof a.count !== 'number' || a.count < 0)) || (a.signature !== undefined && typeof a.signature !== 'string')) {
      throw new InputError(`evidence: alerts[${i}] has a bad cve, count or signature`, { field: 'alerts' });
    }
    return { ...(a.cve !== undefined ? { cve: a.cve as string } : {}), ...(a.count !== undefined ? { count: a.count as number } : {}), ...(a.signature !== undefined ? { signature: a.signature as string } : {}), ...sourcesOf(a, `alerts[${i}]`) };
  });
  const actors = list('actors').map((a, i) => {
    if (typeof a.name !== 'string') throw new InputError(`evidence: actors[${i}] needs a name`, { field: 'actors' });
    return { name: a.name, techniques: strs(a.techniques ?? [], `actors[${i}].techniques`), ...(a.cves !== undefined ? { cves: strs(a.cves, `actors[${i}].cves`) } : {}), ...sourcesOf(a, `actors[${i}]`) };
  });
  return { sightings, alerts, actors };
}
