import { InputError, UnavailableError } from '@waggle/errors';
import { attributesOfAnswer, evidenceFromMisp, hostTag, sectorTag, type Evidence } from '@waggle/risk';

/** Where and how {@link fetchWaggleEvidence} asks. */
export interface EvidenceSource {
  /** Base URL of the waggle (or MISP) server. */
  readonly url: string;
  readonly key: string;
  readonly host: string;
  readonly sector?: string;
  /** Sightings and alerts of the last `days` days count. */
  readonly days: number;
  /** The host's own risk event: never evidence. */
  readonly ownEventUuid: string;
  readonly fetch?: typeof fetch;
  /** Current time in ms (injected for tests). */
  readonly now?: () => number;
}

/** Evidence from the server, what was left out, and the vulnerability attributes seen (for the watcher). */
export interface FetchedEvidence {
  readonly evidence: Evidence;
  readonly notes: string[];
  readonly attributeUuids: Set<string>;
}

/**
 * Asks a waggle (or MISP) server, through the MISP REST API, for the evidence
 * of the host model (mapping in `@waggle/risk`'s `evidenceFromMisp`):
 * `attributes/restSearch` for the host's CVEs as `vulnerability` attributes
 * (with sightings and event tags; `sightings/restSearch` when the server does
 * not inline sightings), `events/restSearch` for the host's tag (alerts of the
 * last `days` days) and, with a sector, for the sector's galaxy tag.
 * @throws InputError when the key is refused or an answer is not MISP's; UnavailableError when the server cannot be reached.
 */
export async function fetchWaggleEvidence(src: EvidenceSource, cves: readonly string[]): Promise<FetchedEvidence> {
  const base = src.url.replace(/\/+$/, '');
  const doFetch = src.fetch ?? fetch;
  const post = async (path: string, body: Record<string, unknown>): Promise<unknown> => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method: 'POST', headers: { Authorization: src.key, Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    } catch (error) {
      throw new UnavailableError(`cannot reach ${base}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new InputError(`${base} refused the key (HTTP ${res.status})`);
    if (res.status !== 200) throw new UnavailableError(`${base}${path} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new InputError(`${base}${path} did not answer JSON: ${text.slice(0, 100)}`);
    }
  };
  const nowSeconds = Math.floor((src.now?.() ?? Date.now()) / 1000);
  const window = `${Math.max(1, Math.round(src.days))}d`;

  const vulnerabilityAttributes = cves.length === 0 ? undefined : await post('/attributes/restSearch', { returnFormat: 'json', type: 'vulnerability', value: [...cves], includeSightings: 1, includeEventTags: 1, includeEventUuid: 1 });
  const attributes = vulnerabilityAttributes === undefined ? [] : attributesOfAnswer(vulnerabilityAttributes);
  // MISP inlines `Sighting` arrays in attribute searches; waggle does not, so ask for them.
  const missing = attributes.filter((a) => a.Sighting === undefined && a.id !== undefined).map((a) => String(a.id));
  const sightings = missing.length === 0 ? undefined : await post('/sightings/restSearch', { context: 'attribute', id: missing, type: 0, last: window });
  const hostEvents = await post('/events/restSearch', { returnFormat: 'json', tags: [hostTag(src.host)], event_timestamp: window });
  const sectorEvents = src.sector === undefined ? undefined : await post('/events/restSearch', { returnFormat: 'json', tags: [sectorTag(src.sector)] });

  const { evidence, notes } = evidenceFromMisp(
    { ...(vulnerabilityAttributes !== undefined ? { vulnerabilityAttributes } : {}), ...(sightings !== undefined ? { sightings } : {}), hostEvents, ...(sectorEvents !== undefined ? { sectorEvents } : {}) },
    { host: src.host, cves, ...(src.sector !== undefined ? { sector: src.sector } : {}), since: nowSeconds - Math.max(1, Math.round(src.days)) * 86_400, ignoreEventUuids: [src.ownEventUuid] },
  );
  const attributeUuids = new Set(attributes.filter((a) => (a.Event?.uuid ?? a.event_uuid) !== src.ownEventUuid && a.uuid !== undefined).map((a) => a.uuid as string));
  return { evidence, notes: notes.map((n) => `evidence from ${base}: ${n}`), attributeUuids };
}
