import { stixTimestamp } from '../common/timestamps.js';
import type { StixObject } from '../common/stix-types.js';
import type { SightingModel } from './event-model.js';
import { baseProperties, identityRef, rawUuidProperty, type ExportContext } from './export-context.js';

/**
 * MISP sightings of the object `targetId`: a sighting (type 0) or expiration
 * (type 2, marked `x_misp_sighting_type`) becomes a `sighting`; a false
 * positive (type 1) an `opinion` of "strongly-disagree", as misp-stix does.
 * The sighting organisation becomes the identity in `where_sighted_refs`.
 */
export function sightingsToStix(context: ExportContext, targetId: string, sightings: readonly SightingModel[]): StixObject[] {
  return sightings.map((s) => {
    const org = s.org === undefined ? undefined : identityRef(context, s.org);
    const base = { ...baseProperties(context, s.type === '1' ? 'opinion' : 'sighting', s.uuid, s.date, false), ...(org !== undefined ? { created_by_ref: org } : {}) };
    const extra = { ...(s.source !== undefined && s.source !== '' ? { x_misp_source: s.source } : {}), ...rawUuidProperty(s.rawUuid) };
    if (s.type === '1') return { ...base, opinion: 'strongly-disagree', explanation: 'False positive', object_refs: [targetId], ...extra };
    const seen = stixTimestamp(s.date ?? context.event.timestamp);
    return {
      ...base,
      sighting_of_ref: targetId,
      first_seen: seen,
      last_seen: seen,
      count: 1,
      ...(org !== undefined ? { where_sighted_refs: [org] } : {}),
      ...(s.type !== '0' ? { x_misp_sighting_type: s.type } : {}),
      ...extra,
    };
  });
}
