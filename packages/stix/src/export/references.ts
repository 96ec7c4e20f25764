import type { StixObject } from '../common/stix-types.js';
import type { ObjectModel } from './event-model.js';
import { baseProperties, rawUuidProperty, type ExportContext } from './export-context.js';

const RELATIONSHIP_TYPE = /^[a-z0-9-]+$/;

/** A MISP relationship name in the form STIX allows (`^[a-z0-9-]+$`). */
function stixRelationshipType(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'related-to' : cleaned;
}

/**
 * ObjectReferences as relationships between the STIX objects that stand for
 * the MISP object and the referenced object or attribute. A reference to
 * something outside the event has no STIX end and is left out (returned in
 * `dangling` so the caller can tell).
 */
export function referencesToStix(context: ExportContext, o: ObjectModel): { relationships: StixObject[]; dangling: string[] } {
  const relationships: StixObject[] = [];
  const dangling: string[] = [];
  for (const r of o.references) {
    const source = context.stixIdByMispUuid.get(r.sourceRaw);
    const target = context.stixIdByMispUuid.get(r.targetRaw);
    if (source === undefined || target === undefined) {
      dangling.push(r.targetRaw);
      continue;
    }
    const type = stixRelationshipType(r.relationshipType);
    relationships.push({
      ...baseProperties(context, 'relationship', r.uuid, o.timestamp),
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...(r.comment !== '' ? { description: r.comment } : {}),
      ...(RELATIONSHIP_TYPE.test(r.relationshipType) ? {} : { x_misp_relationship_type: r.relationshipType }),
      ...rawUuidProperty(r.rawUuid),
    });
  }
  return { relationships, dangling };
}
