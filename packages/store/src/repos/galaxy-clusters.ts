import { sql } from 'kysely';
import type { GalaxyClusterRecord, GalaxyClusterRelationRecord, GalaxyClusterRepository, GalaxyElementRecord } from '@waggle/core';
import { asId, chunks, fromRow, fromRows, isUuid, mustExist, type RepoContext } from '../db/rows.js';

/** Custom galaxy clusters, their elements and relations, over SQL. */
export function galaxyClusterRepository(ctx: RepoContext): GalaxyClusterRepository {
  const { db } = ctx;
  const cluster = (row: unknown): GalaxyClusterRecord => {
    const r = fromRow<GalaxyClusterRecord>('galaxy_clusters', row);
    return { ...r, id: Number(r.id), version: Number(r.version), timestamp: Number(r.timestamp), created: Number(r.created), org_id: Number(r.org_id), orgc_id: Number(r.orgc_id), distribution: Number(r.distribution), sharing_group_id: Number(r.sharing_group_id), extends_version: Number(r.extends_version) };
  };
  return {
    async insertGalaxyCluster(c) {
      return cluster(await db.insertInto('galaxy_clusters').values(c).returningAll().executeTakeFirstOrThrow());
    },
    async updateGalaxyCluster(id, patch) {
      const row = await db.updateTable('galaxy_clusters').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
      return cluster(mustExist(row, 'Galaxy cluster', id));
    },
    async getGalaxyCluster(ref) {
      const id = asId(ref);
      const q = db.selectFrom('galaxy_clusters').selectAll();
      const row = id !== undefined ? await q.where('id', '=', id).executeTakeFirst() : typeof ref === 'string' && isUuid(ref) ? await q.where('uuid', '=', ref.toLowerCase()).executeTakeFirst() : undefined;
      return row === undefined ? undefined : cluster(row);
    },
    async listGalaxyClusters(f) {
      let q = db.selectFrom('galaxy_clusters').selectAll();
      if (f.type !== undefined) q = q.where('type', '=', f.type);
      if (f.uuids !== undefined) q = q.where('uuid', 'in', f.uuids.length > 0 ? f.uuids.map((u) => u.toLowerCase()) : ['']);
      if (f.tagNames !== undefined) q = q.where('tag_name', 'in', f.tagNames.length > 0 ? [...f.tagNames] : ['']);
      if (f.timestampFrom !== undefined) q = q.where('timestamp', '>=', f.timestampFrom);
      if (f.published !== undefined) q = q.where('published', '=', f.published);
      if (f.includeDeleted !== true) q = q.where('deleted', '=', false);
      if (f.orgId !== undefined) q = q.where('org_id', '=', f.orgId);
      if (f.search !== undefined && f.search !== '') {
        const like = `%${f.search.toLowerCase()}%`;
        q = q.where((eb) => eb.or([eb(sql`lower(value)`, 'like', like), eb(sql`lower(description)`, 'like', like)]));
      }
      q = q.orderBy('timestamp').orderBy('uuid');
      if (f.limit !== undefined) q = q.limit(f.limit);
      return (await q.execute()).map(cluster);
    },
    async replaceGalaxyElements(clusterId, elements) {
      await db.deleteFrom('galaxy_elements').where('galaxy_cluster_id', '=', clusterId).execute();
      for (const part of chunks(elements, 500)) {
        if (part.length > 0) await db.insertInto('galaxy_elements').values(part.map((e) => ({ galaxy_cluster_id: clusterId, key: e.key, value: e.value }))).execute();
      }
    },
    async listGalaxyElements(clusterIds) {
      if (clusterIds.length === 0) return [];
      const rows = await db.selectFrom('galaxy_elements').selectAll().where('galaxy_cluster_id', 'in', [...clusterIds]).orderBy('id').execute();
      return rows.map((r) => ({ ...r, id: Number(r.id), galaxy_cluster_id: Number(r.galaxy_cluster_id) }) as GalaxyElementRecord);
    },
    async replaceGalaxyClusterRelations(clusterId, relations) {
      await db.deleteFrom('galaxy_cluster_relations').where('galaxy_cluster_id', '=', clusterId).execute();
      if (relations.length > 0) await db.insertInto('galaxy_cluster_relations').values(relations.map((r) => ({ ...r, galaxy_cluster_id: clusterId }))).execute();
    },
    async deleteGalaxyCluster(id) {
      await db.deleteFrom('galaxy_elements').where('galaxy_cluster_id', '=', id).execute();
      await db.deleteFrom('galaxy_cluster_relations').where('galaxy_cluster_id', '=', id).execute();
      await db.deleteFrom('galaxy_clusters').where('id', '=', id).execute();
    },
    async listGalaxyClusterRelations(clusterIds) {
      if (clusterIds.length === 0) return [];
      const rows = await db.selectFrom('galaxy_cluster_relations').selectAll().where('galaxy_cluster_id', 'in', [...clusterIds]).orderBy('id').execute();
      return fromRows<GalaxyClusterRelationRecord>('galaxy_cluster_relations', rows).map((r) => ({ ...r, id: Number(r.id), galaxy_cluster_id: Number(r.galaxy_cluster_id), distribution: Number(r.distribution), sharing_group_id: Number(r.sharing_group_id) }));
    },
  };
}
