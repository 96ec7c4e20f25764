/** A galaxy definition (misp-galaxy `galaxies/*.json`). */
export interface Galaxy {
  readonly uuid: string;
  readonly name: string;
  /** Links the galaxy to its clusters and appears in tags: `misp-galaxy:<type>="<value>"`. */
  readonly type: string;
  readonly description: string;
  readonly version: number;
  readonly icon: string;
  /** `misp` when the file gives none, as MISP defaults it. */
  readonly namespace: string;
  readonly kill_chain_order?: Readonly<Record<string, readonly string[]>>;
}

/** A relation from a cluster to another (`related[]` in cluster files). */
export interface GalaxyClusterRelation {
  readonly 'dest-uuid': string;
  readonly type: string;
  readonly tags?: readonly string[];
}

/** One cluster (one `values[]` item of a `clusters/*.json` file) with its collection's metadata. */
export interface GalaxyCluster {
  readonly uuid: string;
  /** The galaxy type (the cluster file's `type`). */
  readonly type: string;
  readonly value: string;
  /** `misp-galaxy:<type>="<value>"`. */
  readonly tag_name: string;
  readonly description: string;
  /** Uuid of the cluster file (MISP's `collection_uuid`). */
  readonly collection_uuid: string;
  readonly source: string;
  readonly authors: readonly string[];
  /** Version of the cluster file. */
  readonly version: number;
  readonly category?: string;
  /** Meta as MISP stores it: every key maps to a list of strings (`external_id: ["T1059"]`). */
  readonly meta: Readonly<Record<string, readonly string[]>>;
  readonly related: readonly GalaxyClusterRelation[];
  readonly revoked: boolean;
}

/** The tag name MISP gives a cluster. */
export function galaxyTagName(type: string, value: string): string {
  return `misp-galaxy:${type}="${value}"`;
}
