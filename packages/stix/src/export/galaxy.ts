import { WAGGLE_STIX_NAMESPACE, uuidV5 } from '../common/ids.js';
import { mispLabel } from '../common/labels.js';
import type { StixObject } from '../common/stix-types.js';
import { stixTypeForGalaxy } from '../mapping/galaxy-types.js';
import type { ClusterModel } from './event-model.js';
import { baseProperties, rawUuidProperty, type ExportContext } from './export-context.js';
import { isUri } from './sco-values.js';

const ATTACK_ID = /\b((?:T|TA|G|S|M|DS)\d{4}(?:\.\d{3})?)$/;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

function externalIds(c: ClusterModel): string[] {
  const ids = strings(c.meta.external_id);
  const fromValue = ATTACK_ID.exec(c.value)?.[1];
  if (fromValue !== undefined && !ids.includes(fromValue)) ids.push(fromValue);
  return ids;
}

function attackUrl(id: string): string | undefined {
  if (/^T\d{4}(\.\d{3})?$/.test(id)) return `https://attack.mitre.org/techniques/${id.replace('.', '/')}`;
  return undefined;
}

function externalReferences(c: ClusterModel): Record<string, unknown>[] {
  const refs: Record<string, unknown>[] = externalIds(c).map((id) => {
    if (/^CAPEC-\d+$/.test(id)) return { source_name: 'capec', external_id: id };
    if (/^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/.test(id)) return { source_name: 'cve', external_id: id };
    const url = attackUrl(id);
    return { source_name: 'mitre-attack', external_id: id, ...(url !== undefined ? { url } : {}) };
  });
  for (const url of strings(c.meta.refs)) if (isUri(url)) refs.push({ source_name: 'url', url });
  return refs;
}

function killChain(c: ClusterModel): Record<string, string>[] {
  return strings(c.meta.kill_chain).flatMap((entry) => {
    const colon = entry.indexOf(':');
    return colon > 0 && colon < entry.length - 1 ? [{ kill_chain_name: entry.slice(0, colon), phase_name: entry.slice(colon + 1) }] : [];
  });
}

/** The STIX id a cluster gets (its type depends on the galaxy). */
export function clusterStixId(c: ClusterModel): string {
  return `${stixTypeForGalaxy(c.galaxyType)}--${c.uuid}`;
}

/**
 * A galaxy cluster as its STIX SDO: attack-pattern (with the ATT&CK/CAPEC id
 * as external reference), intrusion-set, threat-actor, malware (a family),
 * tool, course-of-action, or `x-misp-galaxy-cluster` for other galaxies.
 * Clusters are shared knowledge, so no `created_by_ref`.
 */
export function clusterToStix(context: ExportContext, c: ClusterModel): StixObject {
  const stixType = stixTypeForGalaxy(c.galaxyType);
  const aliases = strings(c.meta.synonyms);
  const refs = externalReferences(c);
  const phases = killChain(c);
  const custom = stixType === 'x-misp-galaxy-cluster';
  const meta = Object.keys(c.meta).length > 0 ? { x_misp_meta: c.meta } : {};
  return {
    ...baseProperties(context, stixType, c.uuid, undefined, false),
    name: c.value,
    ...(c.description !== '' ? { description: c.description } : {}),
    labels: [mispLabel('galaxy-type', c.galaxyType), mispLabel('galaxy-name', c.galaxyName)],
    ...(stixType === 'malware' ? { is_family: true } : {}),
    ...(aliases.length > 0 && stixType !== 'course-of-action' && !custom ? { aliases } : {}),
    ...(refs.length > 0 ? { external_references: refs } : {}),
    ...(phases.length > 0 && (stixType === 'attack-pattern' || stixType === 'malware' || stixType === 'tool') ? { kill_chain_phases: phases } : {}),
    ...rawUuidProperty(c.rawUuid),
    x_misp_tag_name: c.tagName,
    ...meta,
  };
}

const ACTORS = new Set(['intrusion-set', 'threat-actor']);
const USED = new Set(['attack-pattern', 'malware', 'tool']);

/** A relationship with an id derived from its ends, so the same link always has the same id. */
export function relationship(context: ExportContext, source: string, type: string, target: string, withCreator = true): StixObject {
  const uuid = uuidV5(WAGGLE_STIX_NAMESPACE, `relationship|${source}|${type}|${target}`);
  return { ...baseProperties(context, 'relationship', uuid, undefined, withCreator), relationship_type: type, source_ref: source, target_ref: target };
}

/** `uses` from each actor cluster of the event to each attack-pattern, malware and tool cluster. */
export function eventClusterRelationships(context: ExportContext, clusters: readonly ClusterModel[]): StixObject[] {
  const ids = clusters.map(clusterStixId);
  const actors = ids.filter((id) => ACTORS.has(id.slice(0, id.indexOf('--'))));
  const used = ids.filter((id) => USED.has(id.slice(0, id.indexOf('--'))));
  return actors.flatMap((actor) => used.map((target) => relationship(context, actor, 'uses', target)));
}

/** The relationship from an attribute's STIX object to a cluster: `indicates` from an indicator, else `related-to`. */
export function attributeClusterRelationship(context: ExportContext, sourceId: string, c: ClusterModel): StixObject {
  const target = clusterStixId(c);
  const indicates = sourceId.startsWith('indicator--') && stixTypeForGalaxy(c.galaxyType) !== 'x-misp-galaxy-cluster' && !target.startsWith('course-of-action--');
  return relationship(context, sourceId, indicates ? 'indicates' : 'related-to', target);
}
