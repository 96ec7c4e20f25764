import { WAGGLE_STIX_NAMESPACE, uuidV5 } from '../common/ids.js';
import { mispLabel } from '../common/labels.js';
import { stixTimestamp } from '../common/timestamps.js';
import type { StixObject } from '../common/stix-types.js';
import { typeSpec } from '../mapping/type-specs.js';
import type { AttributeModel } from './event-model.js';
import { baseProperties, rawUuidProperty, tagProperties, type ExportContext } from './export-context.js';
import { buildObservables } from './observables.js';
import { renderPattern } from './pattern.js';

// MISP types whose value already is a pattern in a language STIX 2.1 names (pattern-type-ov).
const PATTERN_TYPES: Readonly<Record<string, string>> = { yara: 'yara', sigma: 'sigma', snort: 'snort', suricata: 'suricata', 'stix2-pattern': 'stix' };
const CVE = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;

function common(context: ExportContext, stixType: string, a: AttributeModel, toIds: boolean | undefined): Record<string, unknown> & { type: string; id: string } {
  const meta = [mispLabel('type', a.type), ...(a.category !== undefined ? [mispLabel('category', a.category)] : [])];
  if (toIds !== undefined) meta.push(mispLabel('to_ids', toIds ? 'True' : 'False'));
  return {
    ...baseProperties(context, stixType, a.uuid, a.timestamp),
    ...(a.comment !== '' ? { description: a.comment } : {}),
    ...tagProperties(context, a.tags, meta),
    ...rawUuidProperty(a.rawUuid),
  };
}

function validTimes(a: AttributeModel, created: Date | undefined): { from: Date; until: Date | undefined } {
  const from = a.firstSeen ?? created ?? new Date(0);
  return { from, until: a.lastSeen !== undefined && a.lastSeen > from ? a.lastSeen : undefined };
}

function indicator(context: ExportContext, a: AttributeModel, pattern: string, patternType: string): StixObject {
  const { from, until } = validTimes(a, a.timestamp ?? context.event.timestamp);
  return {
    ...common(context, 'indicator', a, true),
    pattern,
    pattern_type: patternType,
    ...(patternType === 'stix' ? { pattern_version: '2.1' } : {}),
    valid_from: stixTimestamp(from),
    ...(until !== undefined ? { valid_until: stixTimestamp(until) } : {}),
    ...(a.category !== undefined ? { kill_chain_phases: [{ kill_chain_name: 'misp-category', phase_name: a.category }] } : {}),
  };
}

/** The custom object that carries an attribute STIX has no form for, so nothing is lost. */
export function customAttribute(context: ExportContext, a: AttributeModel): StixObject {
  return {
    ...common(context, 'x-misp-attribute', a, undefined),
    x_misp_type: a.type,
    ...(a.category !== undefined ? { x_misp_category: a.category } : {}),
    x_misp_value: a.value,
    x_misp_to_ids: a.toIds,
    ...(a.comment !== '' ? { x_misp_comment: a.comment } : {}),
    ...(a.firstSeen !== undefined ? { x_misp_first_seen: stixTimestamp(a.firstSeen) } : {}),
    ...(a.lastSeen !== undefined ? { x_misp_last_seen: stixTimestamp(a.lastSeen) } : {}),
  };
}

function observed(context: ExportContext, a: AttributeModel, observables: readonly StixObject[]): StixObject {
  const { from, until } = validTimes(a, a.timestamp ?? context.event.timestamp);
  return {
    ...common(context, 'observed-data', a, undefined),
    first_observed: stixTimestamp(from),
    last_observed: stixTimestamp(until ?? from),
    number_observed: 1,
    object_refs: observables.map((o) => o.id),
  };
}

function namedSdo(context: ExportContext, a: AttributeModel, stixType: 'vulnerability' | 'campaign'): StixObject {
  const cve = stixType === 'vulnerability' && CVE.test(a.value) ? { external_references: [{ source_name: 'cve', external_id: a.value }] } : {};
  return { ...common(context, stixType, a, undefined), name: a.value, ...cve, x_misp_to_ids: a.toIds };
}

/** Observable ids: `<type>--<uuid>` for the first of each type (as misp-stix does), derived ones after. */
export function scoIdFactory(uuid: string): (type: string, n: number) => string {
  return (type, n) => `${type}--${n === 0 ? uuid : uuidV5(WAGGLE_STIX_NAMESPACE, `${uuid}|${type}|${n}`)}`;
}

/**
 * One attribute as STIX; the first object returned is the one that stands
 * for the attribute (relationships and sightings point at it).
 * to_ids → indicator; otherwise observed-data with its observables;
 * vulnerability/campaign-name → their SDOs; anything else → x-misp-attribute.
 */
export function attributeToStix(context: ExportContext, a: AttributeModel): StixObject[] {
  if (a.type === 'vulnerability') return [namedSdo(context, a, 'vulnerability')];
  if (a.type === 'campaign-name') return [namedSdo(context, a, 'campaign')];
  const comparisons = typeSpec(a.type)?.encode(a.value);
  if (a.toIds) {
    if (comparisons !== undefined) return [indicator(context, a, renderPattern(comparisons), 'stix')];
    const patternType = PATTERN_TYPES[a.type];
    if (patternType !== undefined && a.value.trim() !== '') return [indicator(context, a, a.value, patternType)];
    return [customAttribute(context, a)];
  }
  const observables = comparisons === undefined ? undefined : buildObservables([comparisons], scoIdFactory(a.uuid));
  if (observables === undefined || observables.length === 0) return [customAttribute(context, a)];
  return [observed(context, a, observables), ...observables];
}
