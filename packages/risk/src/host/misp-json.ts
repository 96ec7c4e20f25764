import { InputError } from '@waggle/errors';

/** A tag as MISP JSON carries it. */
export interface MispTagJson {
  readonly name?: string;
}

/** A sighting as MISP JSON carries it (inside an attribute, or from `sightings/restSearch`). */
export interface MispSightingJson {
  readonly id?: string | number;
  readonly uuid?: string;
  /** 0 sighting, 1 false positive, 2 expiration. */
  readonly type?: string | number;
  readonly date_sighting?: string | number;
  readonly source?: string;
  readonly attribute_id?: string | number;
  readonly attribute_uuid?: string;
  readonly event_id?: string | number;
  readonly event_uuid?: string;
  readonly event_info?: string;
  /** `sightings/restSearch` adds the sighted value. */
  readonly value?: string;
  readonly attribute_value?: string;
  readonly Organisation?: { readonly name?: string };
}

/** An attribute as MISP JSON carries it. */
export interface MispAttributeJson {
  readonly id?: string | number;
  readonly uuid?: string;
  readonly event_id?: string | number;
  readonly event_uuid?: string;
  readonly type?: string;
  readonly value?: string;
  readonly comment?: string;
  readonly timestamp?: string | number;
  readonly deleted?: boolean;
  readonly object_relation?: string | null;
  readonly Tag?: readonly MispTagJson[];
  readonly Sighting?: readonly MispSightingJson[];
  /** `attributes/restSearch` names the attribute's event. */
  readonly Event?: { readonly id?: string | number; readonly uuid?: string; readonly info?: string };
}

/** An event as MISP JSON carries it. */
export interface MispEventJson {
  readonly id?: string | number;
  readonly uuid?: string;
  readonly info?: string;
  readonly date?: string;
  readonly timestamp?: string | number;
  readonly Tag?: readonly MispTagJson[];
  readonly Attribute?: readonly MispAttributeJson[];
  readonly Object?: readonly { readonly name?: string; readonly deleted?: boolean; readonly Attribute?: readonly MispAttributeJson[] }[];
  readonly Galaxy?: readonly { readonly type?: string; readonly GalaxyCluster?: readonly { readonly value?: string; readonly tag_name?: string }[] }[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The attributes of an `attributes/restSearch` answer: `{ response: { Attribute: [...] } }`
 * (MISP and waggle), `{ Attribute: [...] }` or a bare array.
 * @throws InputError when the answer has none of these shapes.
 */
export function attributesOfAnswer(answer: unknown, what = 'attributes/restSearch'): MispAttributeJson[] {
  const inner = isObject(answer) && 'response' in answer ? answer.response : answer;
  const list = Array.isArray(inner) ? inner : isObject(inner) ? inner.Attribute : undefined;
  if (!Array.isArray(list)) throw new InputError(`${what}: expected { response: { Attribute: [...] } }`);
  return list.filter(isObject).map((a) => (isObject(a.Attribute) ? a.Attribute : a) as MispAttributeJson);
}

/**
 * The events of an `events/restSearch` answer: `{ response: [{ Event }] }`,
 * a bare array of `{ Event }` or of events.
 * @throws InputError when the answer has none of these shapes.
 */
export function eventsOfAnswer(answer: unknown, what = 'events/restSearch'): MispEventJson[] {
  const list = isObject(answer) && 'response' in answer ? answer.response : answer;
  if (!Array.isArray(list)) throw new InputError(`${what}: expected { response: [{ Event }] }`);
  return list.filter(isObject).map((e) => (isObject(e.Event) ? e.Event : e) as MispEventJson);
}

/**
 * The sightings of a `sightings/restSearch` answer: `{ response: [{ Sighting }] }`
 * or a bare array.
 * @throws InputError when the answer has none of these shapes.
 */
export function sightingsOfAnswer(answer: unknown, what = 'sightings/restSearch'): MispSightingJson[] {
  const list = isObject(answer) && 'response' in answer ? answer.response : answer;
  if (!Array.isArray(list)) throw new InputError(`${what}: expected { response: [{ Sighting }] }`);
  return list.filter(isObject).map((s) => (isObject(s.Sighting) ? s.Sighting : s) as MispSightingJson);
}

/** Tag names of a list, empty ones dropped. */
export function tagNames(tags: readonly MispTagJson[] | undefined): string[] {
  return (tags ?? []).map((t) => t.name ?? '').filter((n) => n !== '');
}

/** Every tag name of an event: its own, its attributes' (and objects' attributes'), and galaxy clusters'. */
export function allTagNames(ev: MispEventJson): string[] {
  const names = new Set(tagNames(ev.Tag));
  for (const a of liveAttributes(ev)) for (const n of tagNames(a.Tag)) names.add(n);
  for (const g of ev.Galaxy ?? []) for (const c of g.GalaxyCluster ?? []) if (c.tag_name !== undefined && c.tag_name !== '') names.add(c.tag_name);
  return [...names];
}

/** The attributes of an event, loose and in objects, leaving deleted ones out. */
export function liveAttributes(ev: MispEventJson): MispAttributeJson[] {
  const objects = (ev.Object ?? []).filter((o) => o.deleted !== true).flatMap((o) => o.Attribute ?? []);
  return [...(ev.Attribute ?? []), ...objects].filter((a) => a.deleted !== true);
}

const CVE = /CVE-\d{4}-\d{4,}/gi;

/** CVE ids named in a text, upper-cased. */
export function cvesIn(text: string | undefined): string[] {
  return [...new Set((text ?? '').match(CVE)?.map((c) => c.toUpperCase()) ?? [])];
}

/** How an event is named in an explanation: its title and UUID. */
export function eventLabel(ev: { readonly info?: string; readonly uuid?: string; readonly id?: string | number }): string {
  const info = (ev.info ?? '').slice(0, 80);
  const ref = ev.uuid ?? (ev.id !== undefined ? `#${String(ev.id)}` : '?');
  return info === '' ? `event ${ref}` : `event "${info}" (${ref})`;
}
