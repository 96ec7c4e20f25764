import { cloneJson, isJsonObject, objectsIn, toBool, toInt, type JsonObject } from '../model/misp-json.js';
import type { SyncServer } from '../model/sync-server.js';
import { Distribution } from './distribution.js';
import { canPushSharingGroupEvent } from './sharing-group-membership.js';

const DROP = ['id', 'org_id', 'orgc_id', 'galaxy_id', 'Org', 'sharing_group_id_local'];

/**
 * A custom cluster on its way to `server`, as MISP prepares one for push: only
 * published custom (not default) clusters; distribution 0/1 stay here, 4 only
 * with the server and remote organisation in the group; 2 leaves as 1, on the
 * cluster and its relations; local ids removed; marked locked. Returns the
 * document to send or why it stays.
 */
export function prepareClusterForPush(cluster: JsonObject, server: SyncServer): { cluster: JsonObject } | { skip: string } {
  if (!toBool(cluster.published)) return { skip: 'The cluster is not published.' };
  if (toBool(cluster.default)) return { skip: 'Default clusters come from the shared galaxy files, not from sync.' };
  const d = toInt(cluster.distribution);
  if (d === undefined || d < Distribution.CONNECTED || d > Distribution.SHARING_GROUP) return { skip: 'The distribution level of this cluster blocks it from being pushed.' };
  if (d === Distribution.SHARING_GROUP && !(isJsonObject(cluster.SharingGroup) && canPushSharingGroupEvent(cluster.SharingGroup, server))) {
    return { skip: 'The cluster is shared with a sharing group this server is not in.' };
  }
  const out = cloneJson(cluster);
  for (const key of DROP) delete out[key];
  if (d === Distribution.CONNECTED) out.distribution = String(Distribution.THIS_COMMUNITY);
  out.GalaxyClusterRelation = objectsIn(out.GalaxyClusterRelation)
    .filter((r) => (toInt(r.distribution) ?? 0) >= Distribution.CONNECTED)
    .map((r) => ({ ...r, distribution: toInt(r.distribution) === Distribution.CONNECTED ? String(Distribution.THIS_COMMUNITY) : r.distribution }));
  out.locked = true;
  return { cluster: out };
}

/** A pulled cluster as MISP receives one from a non-internal server: 1 becomes 0, 2 becomes 1; locked. */
export function prepareClusterForPull(cluster: JsonObject): JsonObject {
  const out = cloneJson(cluster);
  const down = (v: unknown): unknown => (toInt(v) === Distribution.THIS_COMMUNITY ? String(Distribution.ORG_ONLY) : toInt(v) === Distribution.CONNECTED ? String(Distribution.THIS_COMMUNITY) : v);
  out.distribution = down(out.distribution);
  out.GalaxyClusterRelation = objectsIn(out.GalaxyClusterRelation).map((r) => ({ ...r, distribution: down(r.distribution) }));
  out.locked = true;
  return out;
}
