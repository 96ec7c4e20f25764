import { mispLabel } from '../common/labels.js';
import { stixTimestamp } from '../common/timestamps.js';
import type { StixObject } from '../common/stix-types.js';
import type { Comparison } from '../mapping/comparison.js';
import { typeSpec } from '../mapping/type-specs.js';
import { scoIdFactory } from './attributes.js';
import type { AttributeModel, ObjectModel } from './event-model.js';
import { baseProperties, rawUuidProperty, tagProperties, type ExportContext } from './export-context.js';
import { buildObservables } from './observables.js';
import { renderPattern } from './pattern.js';

/**
 * What the pattern or the observables cannot say about an object's
 * attributes: uuid, relation, category, flags; and the value itself for
 * attributes that have no STIX form. Listed in the object's attribute order.
 */
function attributeRecords(attributes: readonly AttributeModel[], expressed: ReadonlySet<AttributeModel>): Record<string, unknown>[] {
  return attributes.map((a) => ({
    uuid: a.uuid,
    ...(a.rawUuid !== undefined ? { misp_uuid: a.rawUuid } : {}),
    type: a.type,
    ...(a.objectRelation !== undefined ? { object_relation: a.objectRelation } : {}),
    ...(a.category !== undefined ? { category: a.category } : {}),
    to_ids: a.toIds,
    ...(a.comment !== '' ? { comment: a.comment } : {}),
    ...(a.tags.length > 0 ? { tags: [...a.tags] } : {}),
    ...(a.firstSeen !== undefined ? { first_seen: stixTimestamp(a.firstSeen) } : {}),
    ...(a.lastSeen !== undefined ? { last_seen: stixTimestamp(a.lastSeen) } : {}),
    ...(expressed.has(a) ? {} : { value: a.value }),
  }));
}

function common(context: ExportContext, stixType: string, o: ObjectModel, toIds: boolean | undefined): Record<string, unknown> & { type: string; id: string } {
  const meta = [mispLabel('name', o.name), ...(o.metaCategory !== undefined ? [mispLabel('meta-category', o.metaCategory)] : [])];
  if (toIds === true) meta.push(mispLabel('to_ids', 'True'));
  return {
    ...baseProperties(context, stixType, o.uuid, o.timestamp),
    ...(o.comment !== '' ? { description: o.comment } : {}),
    ...tagProperties(context, o.tags, meta),
    ...rawUuidProperty(o.rawUuid),
    ...(o.templateUuid !== undefined ? { x_misp_template_uuid: o.templateUuid } : {}),
    ...(o.templateVersion !== undefined ? { x_misp_template_version: o.templateVersion } : {}),
    ...(o.description !== undefined && o.description !== '' ? { x_misp_description: o.description } : {}),
  };
}

function times(context: ExportContext, o: ObjectModel): { from: string; until: string | undefined } {
  const from = o.firstSeen ?? o.timestamp ?? context.event.timestamp;
  return { from: stixTimestamp(from), until: o.lastSeen !== undefined && o.lastSeen > from ? stixTimestamp(o.lastSeen) : undefined };
}

/** The custom object for an object none of whose attributes has a STIX form (or an unknown template). */
function customObject(context: ExportContext, o: ObjectModel): StixObject {
  return {
    ...common(context, 'x-misp-object', o, undefined),
    x_misp_name: o.name,
    ...(o.metaCategory !== undefined ? { x_misp_meta_category: o.metaCategory } : {}),
    ...(o.attributes.length > 0 ? { x_misp_attributes: attributeRecords(o.attributes, new Set()) } : {}),
  };
}

/**
 * One MISP object as STIX; the first object returned stands for it. If any
 * attribute is to_ids: one indicator whose pattern combines every attribute
 * with a pattern form. Otherwise: observed-data with the observables of the
 * attributes that have one. Attributes without a form ride along in
 * `x_misp_attributes`; an object with none at all becomes `x-misp-object`.
 */
export function objectToStix(context: ExportContext, o: ObjectModel): StixObject[] {
  const encoded = o.attributes.map((a) => ({ a, comparisons: typeSpec(a.type)?.encode(a.value) }));
  const ids = scoIdFactory(o.uuid);
  if (o.attributes.some((a) => a.toIds)) {
    const expressed = encoded.filter((e): e is { a: AttributeModel; comparisons: Comparison[] } => e.comparisons !== undefined);
    if (expressed.length === 0) return [customObject(context, o)];
    const { from, until } = times(context, o);
    return [{
      ...common(context, 'indicator', o, true),
      pattern: renderPattern(expressed.flatMap((e) => e.comparisons)),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: from,
      ...(until !== undefined ? { valid_until: until } : {}),
      ...(o.metaCategory !== undefined ? { kill_chain_phases: [{ kill_chain_name: 'misp-category', phase_name: o.metaCategory }] } : {}),
      x_misp_attributes: attributeRecords(o.attributes, new Set(expressed.map((e) => e.a))),
    }];
  }
  // Each attribute must have a valid observable on its own before it joins the shared ones.
  const observable = encoded.filter((e): e is { a: AttributeModel; comparisons: Comparison[] } =>
    e.comparisons !== undefined && buildObservables([e.comparisons], ids) !== undefined);
  const observables = observable.length === 0 ? undefined : buildObservables(observable.map((e) => e.comparisons), ids);
  if (observables === undefined || observables.length === 0) return [customObject(context, o)];
  const { from, until } = times(context, o);
  return [{
    ...common(context, 'observed-data', o, undefined),
    first_observed: from,
    last_observed: until ?? from,
    number_observed: 1,
    object_refs: observables.map((s) => s.id),
    x_misp_attributes: attributeRecords(o.attributes, new Set(observable.map((e) => e.a))),
  }, ...observables];
}
