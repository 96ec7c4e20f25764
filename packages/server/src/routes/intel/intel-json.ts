import { tagJson, type MispJson, type TagRecord } from '@waggle/core';
import type { ClusterItem, GalaxyCatalogue, GalaxyItem, TaxonomyItem, WarninglistItem } from '../../intel/index.js';
import { taxonomyTags } from '../../intel/index.js';

/** `Taxonomy` as MISP's taxonomies/index and view show it. */
export function taxonomyJson(item: TaxonomyItem): MispJson {
  const t = item.value;
  return {
    id: String(item.id), namespace: t.namespace, description: t.description, version: String(t.version),
    enabled: item.enabled, exclusive: t.exclusive, required: item.required, highlighted: false,
  };
}

/** One taxonomies/index row: the taxonomy, how many tags it defines and how many exist. */
export function taxonomyIndexRow(item: TaxonomyItem, tags: ReadonlyMap<string, TagRecord>): MispJson {
  const defined = taxonomyTags(item.value);
  return { Taxonomy: taxonomyJson(item), total_count: defined.length, current_count: defined.filter((t) => tags.has(t.name)).length };
}

/** taxonomies/view: the taxonomy and one entry per tag it defines, with the existing tag if any. */
export function taxonomyViewJson(item: TaxonomyItem, tags: ReadonlyMap<string, TagRecord>): MispJson {
  const entries = taxonomyTags(item.value).map((t) => {
    const existing = tags.get(t.name);
    return {
      tag: t.name, expanded: t.expanded, exclusive_predicate: t.exclusive_predicate, description: t.description ?? '',
      ...(t.numerical_value === undefined ? {} : { numerical_value: t.numerical_value }), colour: t.colour,
      existing_tag: existing === undefined ? false : { Tag: tagJson(existing) },
    };
  });
  return { Taxonomy: taxonomyJson(item), entries };
}

/** `Galaxy` as galaxies/index shows it. */
export function galaxyJson(item: GalaxyItem): MispJson {
  const g = item.value;
  return {
    id: String(item.id), uuid: g.uuid, name: g.name, type: g.type, description: g.description, version: String(g.version),
    icon: g.icon, namespace: g.namespace, enabled: item.enabled, local_only: false,
    ...(g.kill_chain_order === undefined ? {} : { kill_chain_order: g.kill_chain_order }),
  };
}

/** A cluster with its ids, in the shape of MISP's GalaxyCluster (no per-use fields). */
export function clusterJson(galaxies: GalaxyCatalogue, item: ClusterItem): MispJson {
  const [group] = galaxies.galaxyJson([item.cluster]);
  const cluster = (group?.GalaxyCluster[0] ?? {}) as MispJson;
  return { ...cluster, GalaxyClusterRelation: [] };
}

/** galaxy_clusters/view: the cluster with its galaxy and its meta as `GalaxyElement` key/value rows (MISP's storage). */
export function clusterViewJson(galaxies: GalaxyCatalogue, item: ClusterItem): MispJson {
  const elements = Object.entries(item.cluster.meta).flatMap(([key, values]) => values.map((value) => ({ key, value })));
  return {
    GalaxyCluster: {
      ...clusterJson(galaxies, item),
      Galaxy: item.galaxy === undefined ? {} : galaxyJson(item.galaxy),
      GalaxyElement: elements,
    },
  };
}

/** `Warninglist` as warninglists/index and view show it. */
export function warninglistJson(item: WarninglistItem): MispJson {
  const w = item.value.list;
  return {
    id: String(item.id), name: w.name, type: w.type, description: w.description, version: String(w.version),
    enabled: item.enabled, default: true, category: w.category, warninglist_entry_count: String(item.value.entryCount),
    valid_attributes: w.matching_attributes.join(', '),
  };
}
