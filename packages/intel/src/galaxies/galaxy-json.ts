import type { Galaxy, GalaxyCluster } from './galaxy.js';

/** A cluster as MISP's `events/view` shows it inside `Galaxy[].GalaxyCluster[]`. */
export interface GalaxyClusterJson {
  readonly id?: string;
  readonly uuid: string;
  readonly collection_uuid: string;
  readonly type: string;
  readonly value: string;
  readonly tag_name: string;
  readonly description: string;
  readonly galaxy_id?: string;
  readonly source: string;
  readonly authors: readonly string[];
  readonly version: string;
  readonly distribution: string;
  readonly sharing_group_id: null;
  readonly org_id: string;
  readonly orgc_id: string;
  readonly default: boolean;
  readonly locked: boolean;
  readonly extends_uuid: string;
  readonly extends_version: string;
  readonly published: boolean;
  readonly deleted: boolean;
  readonly meta: Readonly<Record<string, readonly string[]>>;
  /** Extra per-use fields the caller passes (`tag_id`, `local`, `relationship_type`, …). */
  readonly [extra: string]: unknown;
}

/** A galaxy as MISP's `events/view` shows it, with the clusters of that galaxy used on the event. */
export interface GalaxyJson {
  readonly id?: string;
  readonly uuid: string;
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly version: string;
  readonly icon: string;
  readonly namespace: string;
  readonly enabled: boolean;
  readonly local_only: boolean;
  readonly kill_chain_order?: Readonly<Record<string, readonly string[]>>;
  readonly GalaxyCluster: readonly GalaxyClusterJson[];
}

/** A cluster to show, optionally with the fields of its use (tag id, local flag, relationship). */
export type GalaxyJsonInput = GalaxyCluster | { readonly cluster: GalaxyCluster; readonly extra?: Readonly<Record<string, unknown>> };

/** Database ids the server knows, so the JSON carries them like MISP's; omitted when undefined. */
export interface GalaxyJsonIds {
  readonly galaxyId?: (galaxy: Galaxy) => string | undefined;
  readonly clusterId?: (cluster: GalaxyCluster) => string | undefined;
}

/**
 * Builds the `Galaxy` array of an event view: clusters grouped by galaxy in
 * first-seen order, each cluster once (by galaxy type and uuid), with MISP's
 * field names and string-typed numbers. Default clusters (from the shared
 * galaxy files) are `distribution: "3"`, `default: true`, owned by org 0.
 * Clusters whose galaxy is unknown are skipped: MISP cannot show them either.
 */
export function buildGalaxyJson(inputs: readonly GalaxyJsonInput[], galaxyOf: (type: string) => Galaxy | undefined, ids: GalaxyJsonIds = {}): GalaxyJson[] {
  const groups = new Map<string, { galaxy: Galaxy; clusters: GalaxyClusterJson[]; seen: Set<string> }>();
  for (const input of inputs) {
    const cluster = 'cluster' in input ? input.cluster : input;
    const extra = 'cluster' in input ? (input.extra ?? {}) : {};
    const galaxy = galaxyOf(cluster.type);
    if (galaxy === undefined) continue;
    let group = groups.get(galaxy.type);
    if (group === undefined) {
      group = { galaxy, clusters: [], seen: new Set() };
      groups.set(galaxy.type, group);
    }
    if (group.seen.has(cluster.uuid)) continue;
    group.seen.add(cluster.uuid);
    group.clusters.push(clusterJson(cluster, ids.clusterId?.(cluster), ids.galaxyId?.(galaxy), extra));
  }
  return [...groups.values()].map(({ galaxy, clusters }) => {
    const id = ids.galaxyId?.(galaxy);
    return {
      ...(id === undefined ? {} : { id }),
      uuid: galaxy.uuid,
      name: galaxy.name,
      type: galaxy.type,
      description: galaxy.description,
      version: String(galaxy.version),
      icon: galaxy.icon,
      namespace: galaxy.namespace,
      enabled: true,
      local_only: false,
      ...(galaxy.kill_chain_order === undefined ? {} : { kill_chain_order: galaxy.kill_chain_order }),
      GalaxyCluster: clusters,
    };
  });
}

function clusterJson(cluster: GalaxyCluster, id: string | undefined, galaxyId: string | undefined, extra: Readonly<Record<string, unknown>>): GalaxyClusterJson {
  return {
    ...(id === undefined ? {} : { id }),
    uuid: cluster.uuid,
    collection_uuid: cluster.collection_uuid,
    type: cluster.type,
    value: cluster.value,
    tag_name: cluster.tag_name,
    description: cluster.description,
    ...(galaxyId === undefined ? {} : { galaxy_id: galaxyId }),
    source: cluster.source,
    authors: cluster.authors,
    version: String(cluster.version),
    distribution: '3',
    sharing_group_id: null,
    org_id: '0',
    orgc_id: '0',
    default: true,
    locked: false,
    extends_uuid: '',
    extends_version: '0',
    published: false,
    deleted: false,
    meta: cluster.meta,
    ...extra,
  };
}
