import { InputError } from '@waggle/errors';
import { WAGGLE_STIX_NAMESPACE, isStixUuid, uuidV5 } from '../common/ids.js';
import type { ClusterModel } from './event-model.js';
import { isJsonObject, listOf, optionalText, requiredText, type Json } from './read-fields.js';

const GALAXY_TAG = /^misp-galaxy:([^=]+)="(.*)"$/s;

/** Splits a `misp-galaxy:<type>="<value>"` tag; undefined for other tags. */
export function parseGalaxyTag(tag: string): { readonly type: string; readonly value: string } | undefined {
  const m = GALAXY_TAG.exec(tag);
  return m === null ? undefined : { type: m[1] as string, value: m[2] as string };
}

/** The tag MISP attaches for a cluster. */
export function galaxyTag(type: string, value: string): string {
  return `misp-galaxy:${type}="${value}"`;
}

/** Clusters of a `Galaxy` list (event or attribute level). */
export function readGalaxies(parent: Json, path: string): ClusterModel[] {
  const clusters: ClusterModel[] = [];
  listOf(parent, 'Galaxy', path).forEach((galaxy, g) => {
    const gPath = `${path}.Galaxy[${g}]`;
    const galaxyType = optionalText(galaxy, 'type', gPath);
    const galaxyName = optionalText(galaxy, 'name', gPath) ?? galaxyType ?? '';
    const galaxyDescription = optionalText(galaxy, 'description', gPath) ?? '';
    listOf(galaxy, 'GalaxyCluster', gPath).forEach((cluster, c) => {
      const cPath = `${gPath}.GalaxyCluster[${c}]`;
      const value = requiredText(cluster, 'value', cPath);
      const type = optionalText(cluster, 'type', cPath) ?? galaxyType;
      if (type === undefined) throw new InputError(`${cPath}.type is required when the galaxy has no type`, { field: `${cPath}.type` });
      const tagName = optionalText(cluster, 'tag_name', cPath) ?? galaxyTag(type, value);
      const raw = optionalText(cluster, 'uuid', cPath);
      clusters.push({
        uuid: isStixUuid(raw) ? raw.toLowerCase() : uuidV5(WAGGLE_STIX_NAMESPACE, `cluster|${tagName}`),
        rawUuid: raw !== undefined && !isStixUuid(raw) ? raw : undefined,
        galaxyType: type,
        galaxyName,
        galaxyDescription,
        value,
        tagName,
        description: optionalText(cluster, 'description', cPath) ?? '',
        meta: isJsonObject(cluster.meta) ? cluster.meta : {},
      });
    });
  });
  return clusters;
}

/**
 * Adds a cluster for every `misp-galaxy:` tag that no Galaxy entry explains,
 * with a uuid derived from the tag so the same tag always gives the same object.
 */
export function clustersWithTags(clusters: readonly ClusterModel[], tags: readonly string[]): ClusterModel[] {
  const all = [...clusters];
  const known = new Set(clusters.map((c) => c.tagName));
  for (const tag of tags) {
    const parsed = parseGalaxyTag(tag);
    if (parsed === undefined || known.has(tag)) continue;
    known.add(tag);
    all.push({
      uuid: uuidV5(WAGGLE_STIX_NAMESPACE, `cluster|${tag}`),
      rawUuid: undefined,
      galaxyType: parsed.type,
      galaxyName: parsed.type,
      galaxyDescription: '',
      value: parsed.value,
      tagName: tag,
      description: '',
      meta: {},
    });
  }
  return all;
}
