import { defaultCategory, isCategoryAllowed, isKnownType } from '@waggle/misp';
import { readStixTime, stixTimestamp, unixSeconds } from '../common/timestamps.js';
import { splitLabels, type MispLabelKey } from '../common/labels.js';
import { tagForTlpMarking } from '../common/tlp.js';
import type { MispObjectReference, MispSighting, MispTag } from '../common/misp-event.js';
import type { StixObject } from '../common/stix-types.js';

/** An attribute being assembled (tags and sightings are added as relationships are read). */
export interface AttributeDraft {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  timestamp: string;
  first_seen?: string;
  last_seen?: string;
  object_relation?: string;
  Tag: MispTag[];
  Sighting: MispSighting[];
}

/** An object being assembled. */
export interface ObjectDraft {
  uuid: string;
  name: string;
  'meta-category': string;
  template_uuid?: string;
  template_version?: string;
  description?: string;
  comment: string;
  timestamp: string;
  first_seen?: string;
  last_seen?: string;
  Attribute: AttributeDraft[];
  ObjectReference: MispObjectReference[];
  Tag?: MispTag[];
}

/** What one STIX object became. */
export type Converted =
  | { readonly kind: 'attributes'; readonly attributes: readonly AttributeDraft[] }
  | { readonly kind: 'object'; readonly object: ObjectDraft };

/** The category to give: the one carried if MISP allows it for the type, else the type's default. */
export function categoryFor(type: string, carried: string | undefined): string {
  if (carried !== undefined && (isCategoryAllowed(carried, type) || !isKnownType(type))) return carried;
  return defaultCategory(type) ?? carried ?? 'Other';
}

/** Everything needed to make an attribute draft. */
export interface AttributeFields {
  readonly uuid: string;
  readonly type: string;
  readonly value: string;
  readonly category?: string | undefined;
  readonly toIds: boolean;
  readonly comment?: string | undefined;
  readonly time: Date;
  readonly firstSeen?: string | undefined;
  readonly lastSeen?: string | undefined;
  readonly objectRelation?: string | undefined;
  readonly tags: readonly string[];
}

/** An attribute draft in MISP's JSON shape. */
export function attributeDraft(f: AttributeFields): AttributeDraft {
  return {
    uuid: f.uuid,
    type: f.type,
    category: categoryFor(f.type, f.category),
    value: f.value,
    to_ids: f.toIds,
    comment: f.comment ?? '',
    timestamp: unixSeconds(f.time),
    ...(f.firstSeen !== undefined ? { first_seen: f.firstSeen } : {}),
    ...(f.lastSeen !== undefined ? { last_seen: f.lastSeen } : {}),
    ...(f.objectRelation !== undefined ? { object_relation: f.objectRelation } : {}),
    Tag: f.tags.map((name) => ({ name })),
    Sighting: [],
  };
}

/** The labels and markings of a STIX object as MISP metadata and tags (TLP markings → `tlp:*`). */
export function readLabels(object: StixObject): { readonly meta: ReadonlyMap<MispLabelKey, string>; readonly tags: string[] } {
  const { meta, tags } = splitLabels(object.labels);
  const all = [...tags];
  const hasTlp = all.some((t) => t.toLowerCase().startsWith('tlp:'));
  if (!hasTlp && Array.isArray(object.object_marking_refs)) {
    for (const ref of object.object_marking_refs) {
      const tag = typeof ref === 'string' ? tagForTlpMarking(ref) : undefined;
      if (tag !== undefined && !all.includes(tag)) all.push(tag);
    }
  }
  return { meta, tags: all };
}

/** When the object was last modified (or created); the epoch when it says neither. */
export function objectTime(object: StixObject): Date {
  return readStixTime(object.modified) ?? readStixTime(object.created) ?? new Date(0);
}

/** A STIX time re-written as MISP writes first_seen/last_seen; undefined when it equals `unless`. */
export function seenTime(value: unknown, unless: unknown): string | undefined {
  const time = readStixTime(value);
  if (time === undefined) return undefined;
  const other = readStixTime(unless);
  return other !== undefined && other.getTime() === time.getTime() ? undefined : stixTimestamp(time);
}

/** A string property, or undefined. */
export function text(object: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}
