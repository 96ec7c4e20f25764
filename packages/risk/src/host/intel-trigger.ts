import { allTagNames, cvesIn, liveAttributes, tagNames, type MispAttributeJson, type MispEventJson } from './misp-json.js';
import { HOST_RISK_TAG, hostTag, sectorTag } from './waggle-evidence.js';

/** What a host's figure depends on, to tell whether a stream message could change it. */
export interface IntelWatch {
  readonly host: string;
  /** The host's CVE ids (upper-case). */
  readonly cves: ReadonlySet<string>;
  readonly sector?: string;
  /** The host's own risk event: its changes never trigger (they are the watcher's own writes). */
  readonly ownEventUuid: string;
  readonly ownEventId?: string;
  /** UUIDs of `vulnerability` attributes naming the host's CVEs, so a sighting of one triggers. */
  readonly attributeUuids?: ReadonlySet<string>;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Why a message of waggle's event stream (MISP ZeroMQ topics, as `GET /events/stream`
 * carries them) could change the host's figure, or undefined when it cannot:
 * an event or attribute naming one of the host's CVEs, an event or tag for the
 * host or its sector, a sighting of a known vulnerability attribute. Messages
 * about the host's own risk event, and host risk reports in general, never trigger.
 */
export function intelTrigger(topic: string, payload: unknown, watch: IntelWatch): string | undefined {
  if (!isObject(payload)) return undefined;
  const own = (uuid: unknown, id: unknown): boolean => (uuid !== undefined && uuid === watch.ownEventUuid) || (id !== undefined && watch.ownEventId !== undefined && String(id) === watch.ownEventId);
  const host = hostTag(watch.host);
  const sector = watch.sector === undefined ? undefined : sectorTag(watch.sector).toLowerCase();
  const tagReason = (names: readonly string[]): string | undefined => {
    if (names.includes(host)) return `tagged ${host}`;
    if (sector !== undefined && names.some((n) => n.toLowerCase() === sector)) return `tagged with sector ${watch.sector ?? ''}`;
    return undefined;
  };
  const cveReason = (a: MispAttributeJson): string | undefined => {
    if (a.type !== 'vulnerability') return undefined;
    const hit = cvesIn(a.value).find((c) => watch.cves.has(c));
    return hit === undefined ? undefined : `names ${hit}`;
  };

  if ((topic === 'misp_json_event' || topic === 'misp_json') && isObject(payload.Event)) {
    const ev = payload.Event as MispEventJson;
    if (own(ev.uuid, ev.id)) return undefined;
    const tags = allTagNames(ev);
    if (tags.includes(HOST_RISK_TAG)) return undefined;
    const why = tagReason(tags) ?? liveAttributes(ev).map(cveReason).find((r) => r !== undefined) ?? tags.flatMap(cvesIn).filter((c) => watch.cves.has(c)).map((c) => `tagged with ${c}`)[0];
    return why === undefined ? undefined : `event ${ev.uuid ?? String(ev.id ?? '?')} ${why}`;
  }
  if (topic === 'misp_json_attribute' && isObject(payload.Attribute)) {
    const a = payload.Attribute as MispAttributeJson;
    if (own(a.event_uuid ?? a.Event?.uuid, a.event_id)) return undefined;
    const why = cveReason(a) ?? tagReason(tagNames(a.Tag));
    return why === undefined ? undefined : `attribute ${a.uuid ?? '?'} ${why}`;
  }
  if (topic === 'misp_json_sighting' && isObject(payload.Sighting)) {
    const s = payload.Sighting as { attribute_uuid?: string; event_uuid?: string; event_id?: string | number; type?: string | number };
    if (own(s.event_uuid, s.event_id) || String(s.type ?? '0') !== '0') return undefined;
    return s.attribute_uuid !== undefined && watch.attributeUuids?.has(s.attribute_uuid) === true ? `sighting of attribute ${s.attribute_uuid}` : undefined;
  }
  if (topic === 'misp_json_tag' && isObject(payload.Tag)) {
    if (own(undefined, payload.event_id) || payload.action === 'detach') return undefined;
    const name = (payload.Tag as { name?: unknown }).name;
    const why = typeof name === 'string' ? tagReason([name]) ?? (cvesIn(name).some((c) => watch.cves.has(c)) ? `tag ${name}` : undefined) : undefined;
    return why === undefined ? undefined : `tag attached: ${why}`;
  }
  return undefined;
}
