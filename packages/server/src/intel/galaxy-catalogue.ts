import { createGalaxyIndex, parseClusterFile, parseGalaxy, type Galaxy, type GalaxyCluster, type GalaxyIndex, type GalaxyJson, type GalaxyJsonInput } from '@waggle/intel';
import type { CachedDocument, DocumentParser } from './document-cache.js';

/** A stored galaxy with its database id. */
export type GalaxyItem = CachedDocument<Galaxy>;

/** A cluster with the integer id the MISP API shows for it. */
export interface ClusterItem {
  readonly id: number;
  readonly cluster: GalaxyCluster;
  readonly galaxy: GalaxyItem | undefined;
}

/**
 * Cluster ids: `<cluster document row id> × CLUSTER_ID_STRIDE + <position in
 * the file's values, from 1>`. They are stable across restarts and imports of
 * other files (rows keep their id on upsert); re-importing a changed cluster
 * file may renumber that file's clusters, which is why the uuid is the durable
 * reference (every cluster route accepts it too).
 */
export const CLUSTER_ID_STRIDE = 100_000;

/** Galaxies and clusters as loaded, with MISP-style integer ids. */
export interface GalaxyCatalogue {
  readonly galaxies: readonly GalaxyItem[];
  readonly index: GalaxyIndex;
  /** By id, uuid or type. */
  galaxy(ref: string | number): GalaxyItem | undefined;
  /** By id or uuid (the first galaxy's cluster when upstream repeats a uuid). */
  cluster(ref: string | number): ClusterItem | undefined;
  /** The cluster a `misp-galaxy:` tag names. */
  clusterForTag(tagName: string): ClusterItem | undefined;
  clustersOf(galaxy: GalaxyItem): readonly ClusterItem[];
  /** The `Galaxy` array of an event or attribute view, with ids. */
  galaxyJson(inputs: readonly GalaxyJsonInput[]): GalaxyJson[];
}

/** Parses a stored galaxy definition. */
export const parseGalaxyDocument: DocumentParser<Galaxy> = (json) => {
  const parsed = parseGalaxy(json);
  return parsed.ok ? { value: parsed.galaxy } : { problem: parsed.problems.join('; ') };
};

/** Parses a stored cluster file. */
export const parseClusterDocument: DocumentParser<readonly GalaxyCluster[]> = (json) => {
  const parsed = parseClusterFile(json);
  if (!parsed.ok) return { problem: parsed.problems.join('; ') };
  if (parsed.clusters.length >= CLUSTER_ID_STRIDE) return { problem: `more than ${CLUSTER_ID_STRIDE - 1} clusters in one file` };
  return { value: parsed.clusters };
};

/** Builds the catalogue; clusters of a galaxy type nobody imported are kept out, as MISP does. */
export function buildGalaxyCatalogue(galaxies: readonly GalaxyItem[], clusterFiles: readonly CachedDocument<readonly GalaxyCluster[]>[]): GalaxyCatalogue {
  const byType = new Map(galaxies.map((g) => [g.value.type, g]));
  const byGalaxyId = new Map(galaxies.map((g) => [g.id, g]));
  const byGalaxyUuid = new Map(galaxies.map((g) => [g.value.uuid.toLowerCase(), g]));
  const items: ClusterItem[] = [];
  const idOf = new Map<GalaxyCluster, ClusterItem>();
  const byId = new Map<number, ClusterItem>();
  const byUuid = new Map<string, ClusterItem>();
  const perGalaxy = new Map<number, ClusterItem[]>();
  for (const file of clusterFiles) {
    file.value.forEach((cluster, i) => {
      const galaxy = byType.get(cluster.type);
      if (galaxy === undefined) return;
      const item: ClusterItem = { id: file.id * CLUSTER_ID_STRIDE + i + 1, cluster, galaxy };
      items.push(item);
      idOf.set(cluster, item);
      byId.set(item.id, item);
      const key = cluster.uuid.toLowerCase();
      if (!byUuid.has(key)) byUuid.set(key, item);
      const list = perGalaxy.get(galaxy.id);
      if (list === undefined) perGalaxy.set(galaxy.id, [item]);
      else list.push(item);
    });
  }
  const index = createGalaxyIndex({ galaxies: galaxies.map((g) => g.value), clusters: items.map((i) => i.cluster) });
  const ids = {
    galaxyId: (g: Galaxy) => {
      const item = byType.get(g.type);
      return item === undefined ? undefined : String(item.id);
    },
    clusterId: (c: GalaxyCluster) => {
      const item = idOf.get(c);
      return item === undefined ? undefined : String(item.id);
    },
  };
  return {
    galaxies,
    index,
    galaxy: (ref) => {
      const s = String(ref);
      return /^[0-9]+$/.test(s) ? byGalaxyId.get(Number(s)) : (byGalaxyUuid.get(s.toLowerCase()) ?? byType.get(s));
    },
    cluster: (ref) => {
      const s = String(ref);
      return /^[0-9]+$/.test(s) ? byId.get(Number(s)) : byUuid.get(s.toLowerCase());
    },
    clusterForTag: (tagName) => {
      const cluster = index.byTagName(tagName);
      return cluster === undefined ? undefined : idOf.get(cluster);
    },
    clustersOf: (galaxy) => perGalaxy.get(galaxy.id) ?? [],
    galaxyJson: (inputs) => index.galaxyJson(inputs, ids),
  };
}
