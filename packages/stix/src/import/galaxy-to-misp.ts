import { parseStixId } from '../common/ids.js';
import type { MispGalaxyCluster } from '../common/misp-event.js';
import type { StixObject } from '../common/stix-types.js';
import { galaxyForStixType } from '../mapping/galaxy-types.js';
import { galaxyTag } from '../export/read-galaxies.js';
import { isJsonObject } from '../export/read-fields.js';
import { readLabels, text } from './drafts.js';

/** STIX types that become galaxy clusters. */
export const GALAXY_TYPES: ReadonlySet<string> = new Set(['attack-pattern', 'intrusion-set', 'threat-actor', 'malware', 'tool', 'course-of-action', 'x-misp-galaxy-cluster']);

/** A cluster with the galaxy it belongs to. */
export interface ClusterDraft {
  readonly galaxyType: string;
  readonly galaxyName: string;
  readonly cluster: MispGalaxyCluster;
}

function foreignMeta(source: StixObject): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (Array.isArray(source.aliases) && source.aliases.length > 0) meta.synonyms = source.aliases;
  const ids = Array.isArray(source.external_references)
    ? source.external_references.filter(isJsonObject).map((r) => r.external_id).filter((v): v is string => typeof v === 'string')
    : [];
  if (ids.length > 0) meta.external_id = ids;
  return meta;
}

/**
 * A galaxy SDO as a MISP galaxy cluster: the galaxy from the `misp:galaxy-type`
 * label (or, for foreign SDOs, the MITRE galaxy of the STIX type), the tag
 * from `x_misp_tag_name` or `misp-galaxy:<type>="<name>"`. Undefined when
 * neither says which galaxy it is.
 */
export function clusterFromStix(source: StixObject): ClusterDraft | undefined {
  const name = text(source, 'name');
  const { meta } = readLabels(source);
  const galaxyType = meta.get('galaxy-type') ?? galaxyForStixType(source.type);
  if (name === undefined || galaxyType === undefined) return undefined;
  return {
    galaxyType,
    galaxyName: meta.get('galaxy-name') ?? galaxyType,
    cluster: {
      uuid: parseStixId(source.id)?.uuid as string,
      type: galaxyType,
      value: name,
      tag_name: text(source, 'x_misp_tag_name') ?? galaxyTag(galaxyType, name),
      description: text(source, 'description') ?? '',
      meta: isJsonObject(source.x_misp_meta) ? source.x_misp_meta : foreignMeta(source),
    },
  };
}
