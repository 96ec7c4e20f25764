import type { Galaxy, GalaxyCluster } from './galaxy.js';
import { buildGalaxyJson, type GalaxyJson, type GalaxyJsonIds, type GalaxyJsonInput } from './galaxy-json.js';

/** Lookups over galaxies and their clusters; build once (a few ms for all of MITRE ATT&CK). */
export interface GalaxyIndex {
  galaxies(): readonly Galaxy[];
  galaxy(type: string): Galaxy | undefined;
  readonly clusterCount: number;
  /** The cluster a `misp-galaxy:<type>="<value>"` tag names (case-insensitive, like MISP's tag lookup). */
  byTagName(tagName: string): GalaxyCluster | undefined;
  /** Clusters with this uuid: several galaxies may share one (MITRE `mitre-*` and `mitre-enterprise-attack-*`). */
  byUuid(uuid: string): readonly GalaxyCluster[];
  /** Clusters whose value, synonym or external id (e.g. `T1059`, `S0002`, `APT28`) equals `term`, case-insensitive. */
  find(term: string): readonly GalaxyCluster[];
  /** The clusters named by any of these tags (other tags ignored), in tag order. */
  clustersForTags(tagNames: readonly string[]): GalaxyCluster[];
  /** The `Galaxy` array of MISP's `events/view` for these clusters. */
  galaxyJson(clusters: readonly GalaxyJsonInput[], ids?: GalaxyJsonIds): GalaxyJson[];
}

/** The clusters and galaxies to index, as `loadGalaxiesFromDir` returns them. */
export interface GalaxyIndexInput {
  readonly galaxies: readonly Galaxy[];
  readonly clusters: readonly GalaxyCluster[];
}

const EMPTY: readonly GalaxyCluster[] = [];

/** Builds the lookups; clusters of an unknown galaxy type are still found but left out of `galaxyJson`. */
export function createGalaxyIndex(input: GalaxyIndexInput): GalaxyIndex {
  const galaxies = new Map(input.galaxies.map((galaxy) => [galaxy.type, galaxy]));
  const byTag = new Map<string, GalaxyCluster>();
  const byUuid = new Map<string, GalaxyCluster[]>();
  const byTerm = new Map<string, GalaxyCluster[]>();
  const addTo = (map: Map<string, GalaxyCluster[]>, key: string, cluster: GalaxyCluster): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [cluster]);
    else if (list[list.length - 1] !== cluster) list.push(cluster);
  };
  for (const cluster of input.clusters) {
    const tagKey = cluster.tag_name.toLowerCase();
    if (!byTag.has(tagKey)) byTag.set(tagKey, cluster);
    addTo(byUuid, cluster.uuid.toLowerCase(), cluster);
    addTo(byTerm, cluster.value.toLowerCase(), cluster);
    for (const key of ['synonyms', 'external_id'] as const) for (const term of cluster.meta[key] ?? []) addTo(byTerm, term.toLowerCase(), cluster);
  }
  const galaxyOf = (type: string): Galaxy | undefined => galaxies.get(type);
  return {
    galaxies: () => [...galaxies.values()],
    galaxy: galaxyOf,
    clusterCount: input.clusters.length,
    byTagName: (tagName) => byTag.get(tagName.toLowerCase()),
    byUuid: (uuid) => byUuid.get(uuid.toLowerCase()) ?? EMPTY,
    find: (term) => byTerm.get(term.trim().toLowerCase()) ?? EMPTY,
    clustersForTags: (tagNames) =>
      tagNames.flatMap((name) => {
        const cluster = name.startsWith('misp-galaxy:') ? byTag.get(name.toLowerCase()) : undefined;
        return cluster === undefined ? [] : [cluster];
      }),
    galaxyJson: (clusters, ids) => buildGalaxyJson(clusters, galaxyOf, ids),
  };
}
