import { WAGGLE_STIX_NAMESPACE, isStixUuid, uuidV5 } from '../common/ids.js';
import type { Comparison } from '../mapping/comparison.js';
import type { StixObject } from '../common/stix-types.js';
import { isJsonObject } from '../export/read-fields.js';
import { decodeAll, decodeAs } from './decode-values.js';
import { attributeDraft, readLabels, seenTime, text, type AttributeDraft, type ObjectDraft } from './drafts.js';
import type { StixImportWarning } from './warnings.js';
import { unixSeconds } from '../common/timestamps.js';

/**
 * The attributes of a MISP object carried by an indicator, observed-data or
 * x-misp-object: each `x_misp_attributes` record gives the metadata, and its
 * value either itself or by taking its type's comparisons from `pool`.
 * Without records (a foreign object), whatever the pool decodes to.
 */
function objectAttributes(source: StixObject, uuid: string, time: Date, pool: Comparison[], warnings: StixImportWarning[]): AttributeDraft[] {
  const records = Array.isArray(source.x_misp_attributes) ? source.x_misp_attributes.filter(isJsonObject) : [];
  if (records.length === 0) {
    return decodeAll(pool).map((d, i) => attributeDraft({
      uuid: uuidV5(WAGGLE_STIX_NAMESPACE, `${uuid}|attribute|${i}`), type: d.type, value: d.value, toIds: source.type === 'indicator', time, objectRelation: d.type, tags: [],
    }));
  }
  const out: AttributeDraft[] = [];
  records.forEach((r, i) => {
    const type = text(r, 'type');
    const value = text(r, 'value') ?? (type === undefined ? undefined : decodeAs(type, pool));
    if (type === undefined || value === undefined) {
      warnings.push({ code: 'invalid_object', objectId: source.id, message: `attribute ${i} of ${source.id} has no ${type === undefined ? 'type' : 'value'}; it was left out` });
      return;
    }
    const recordUuid = text(r, 'uuid');
    out.push(attributeDraft({
      uuid: isStixUuid(recordUuid) ? recordUuid.toLowerCase() : uuidV5(WAGGLE_STIX_NAMESPACE, `${uuid}|attribute|${i}`),
      type,
      value,
      category: text(r, 'category'),
      toIds: r.to_ids === true,
      comment: text(r, 'comment'),
      time,
      firstSeen: text(r, 'first_seen'),
      lastSeen: text(r, 'last_seen'),
      objectRelation: text(r, 'object_relation'),
      tags: Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === 'string') : [],
    }));
  });
  return out;
}

/** A MISP object from an indicator/observed-data labelled `misp:name`, or from an x-misp-object. */
export function objectDraft(source: StixObject, uuid: string, time: Date, pool: Comparison[], warnings: StixImportWarning[]): ObjectDraft {
  const { meta, tags } = readLabels(source);
  const from = source.type === 'indicator' ? source.valid_from : source.first_observed;
  const until = source.type === 'indicator' ? source.valid_until : source.last_observed;
  const firstSeen = source.type === 'x-misp-object' ? undefined : seenTime(from, source.created);
  const lastSeen = source.type === 'x-misp-object' ? undefined : seenTime(until, from);
  const templateUuid = text(source, 'x_misp_template_uuid');
  const templateVersion = text(source, 'x_misp_template_version');
  const description = text(source, 'x_misp_description');
  return {
    uuid,
    name: meta.get('name') ?? text(source, 'x_misp_name') ?? 'unknown',
    'meta-category': meta.get('meta-category') ?? text(source, 'x_misp_meta_category') ?? 'misc',
    ...(templateUuid !== undefined ? { template_uuid: templateUuid } : {}),
    ...(templateVersion !== undefined ? { template_version: templateVersion } : {}),
    ...(description !== undefined ? { description } : {}),
    comment: text(source, 'description') ?? '',
    timestamp: unixSeconds(time),
    ...(firstSeen !== undefined ? { first_seen: firstSeen } : {}),
    ...(lastSeen !== undefined ? { last_seen: lastSeen } : {}),
    Attribute: objectAttributes(source, uuid, time, pool, warnings),
    ObjectReference: [],
    ...(tags.length > 0 ? { Tag: tags.map((name) => ({ name })) } : {}),
  };
}
