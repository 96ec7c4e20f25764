import type { Kysely } from 'kysely';
import { parseGalaxyCluster, type GalaxyClusterService, type MispJson, type Principal, type SharingGroupService } from '@waggle/core';
import type { Database } from '@waggle/store';
import type { ClusterLocalSide, JsonObject } from '@waggle/sync';
import { embedSharingGroups } from './sharing-group-blocks.js';

/** What the custom galaxy cluster channel's local side works with. */
export interface ClusterSideDeps {
  readonly db: Kysely<Database>;
  readonly clusters: GalaxyClusterService;
  readonly sharingGroups: SharingGroupService;
  /** The local user a sync acts as (a site admin). */
  readonly actor: Principal;
}

/** The cluster channel's port over this instance: versions from the table, saves through the core service as a sync user. */
export function createClusterSide(deps: ClusterSideDeps): ClusterLocalSide {
  const { db, actor } = deps;
  const syncActor: Principal = { ...actor, role: { ...actor.role, perm_sync: true, perm_site_admin: false } };
  return {
    async clusterVersions(uuids) {
      const out = new Map<string, number>();
      for (let i = 0; i < uuids.length; i += 500) {
        const part = uuids.slice(i, i + 500).map((u) => u.toLowerCase());
        if (part.length === 0) continue;
        for (const r of await db.selectFrom('galaxy_clusters').select(['uuid', 'version']).where('uuid', 'in', part).execute()) out.set(r.uuid, Number(r.version));
      }
      return out;
    },
    saveCluster: (_server, cluster) => deps.clusters.saveSynced(syncActor, parseGalaxyCluster(cluster)),
    async clustersForPush(_server, after, limit) {
      let q = db.selectFrom('galaxy_clusters').select(['id', 'uuid', 'timestamp']).where('published', '=', true).where('default', '=', false);
      if (after !== undefined) q = q.where((eb) => eb.or([eb('timestamp', '>', after.timestamp), eb.and([eb('timestamp', '=', after.timestamp), eb('uuid', '>', after.uuid)])]));
      const rows = await q.orderBy('timestamp').orderBy('uuid').limit(limit).execute();
      const out = [];
      for (const r of rows) {
        const view = (await deps.clusters.view(actor, Number(r.id))).GalaxyCluster as MispJson;
        out.push({ uuid: r.uuid, timestamp: Number(r.timestamp), cluster: (await embedSharingGroups(deps.sharingGroups, actor, view)) as JsonObject });
      }
      return out;
    },
  };
}
