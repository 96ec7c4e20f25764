import { AuthenticationError, InputError, UnavailableError } from '@waggle/errors';
import { toInt, type JsonObject } from '../model/misp-json.js';
import type { ChannelReport, SyncCursor, SyncLogEntry } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { createMispRemote, type MispRemote, type MispRemoteOptions, type RemoteClusterEntry } from '../remote/misp-remote.js';
import { prepareClusterForPull, prepareClusterForPush } from '../rules/galaxy-cluster-rules.js';
import { createChannelReportBuilder } from './channel-report.js';
import { compareCursor, nextCursor } from './cursor.js';
import type { SyncStateStore } from './ports.js';

/** What the custom galaxy cluster channel needs from the local instance. */
export interface ClusterLocalSide {
  /** Local versions of these cluster uuids (missing = not here). */
  clusterVersions(uuids: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Saves a pulled cluster (already downgraded) as the server's sync user; refuses to overwrite a cluster created here. */
  saveCluster(server: SyncServer, cluster: JsonObject): Promise<'created' | 'updated' | 'unchanged'>;
  /** Published custom clusters changed after the cursor, in (timestamp, uuid) order, as MISP JSON with `SharingGroup` for distribution 4. */
  clustersForPush(server: SyncServer, after: SyncCursor | undefined, limit: number): Promise<readonly { uuid: string; timestamp: number; cluster: JsonObject }[]>;
}

/** Dependencies of {@link pullGalaxyClusters} and {@link pushGalaxyClusters}. */
export interface ClusterSyncDeps {
  readonly local: ClusterLocalSide;
  readonly state: SyncStateStore;
  readonly remote?: MispRemote;
  readonly remoteOptions?: MispRemoteOptions;
  readonly clock?: () => number;
  readonly pageSize?: number;
  readonly overlapSeconds?: number;
}

type Log = (entry: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>) => Promise<void>;

/**
 * Pulls published custom galaxy clusters (MISP's `Server::pullGalaxyClusters`):
 * the remote's minimal `galaxy_clusters/restSearch` index from the cursor
 * (minus an overlap), the clusters whose version is newer than the local one
 * fetched with `galaxy_clusters/view/<uuid>`, downgraded as on pull and
 * saved. Idempotent by UUID and version; the cursor moves over a contiguous
 * prefix of handled clusters. Needs the server's `pullGalaxyClusters` flag.
 */
export async function pullGalaxyClusters(server: SyncServer, deps: ClusterSyncDeps): Promise<ChannelReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createChannelReportBuilder();
  const previous = await deps.state.get(server.id, 'pull_galaxy_clusters');
  if (!server.pull || !server.pullGalaxyClusters) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const log: Log = (entry) => deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'pull', ...entry });
  let entries: RemoteClusterEntry[] = [];
  try {
    const since = previous === undefined ? undefined : Math.max(0, previous.timestamp - (deps.overlapSeconds ?? 120));
    const pageSize = deps.pageSize ?? 1000;
    const seen = new Map<string, RemoteClusterEntry>();
    for (let page = 1; page <= 100_000; page++) {
      const rows = await remote.galaxyClusterIndex({ ...(since !== undefined ? { timestamp: since } : {}), page, limit: pageSize });
      let fresh = 0;
      for (const r of rows) {
        if (!seen.has(r.uuid)) fresh++;
        if ((seen.get(r.uuid)?.version ?? -1) < r.version) seen.set(r.uuid, r);
      }
      if (rows.length !== pageSize || fresh === 0) break;
    }
    entries = [...seen.values()].filter((e) => since === undefined || e.timestamp >= since).sort(compareCursor);
  } catch (error) {
    b.aborted = true;
    const failure = b.fail(error);
    await log({ level: 'error', code: failure.code, message: `Galaxy cluster pull from ${server.url} failed: ${failure.message}` });
    return b.finish(previous, clock() - started);
  }
  b.candidates = entries.length;
  const local = await deps.local.clusterVersions(entries.map((e) => e.uuid));
  const done = new Set<string>();
  for (const e of entries) {
    if ((local.get(e.uuid) ?? -1) >= e.version) {
      b.unchanged++;
      done.add(e.uuid);
      continue;
    }
    try {
      const cluster = await remote.viewGalaxyCluster(e.uuid);
      b.sent++;
      const outcome = await deps.local.saveCluster(server, prepareClusterForPull(cluster));
      if (outcome === 'unchanged') b.unchanged++;
      else b.saved++;
      done.add(e.uuid);
    } catch (error) {
      const failure = b.fail(error, e.uuid);
      await log({ level: 'error', eventUuid: e.uuid, code: failure.code, message: `Failed to pull galaxy cluster ${e.uuid}: ${failure.message}` });
      if (error instanceof UnavailableError || error instanceof AuthenticationError) {
        b.aborted = true;
        break;
      }
    }
  }
  const cursor = nextCursor(entries, done, previous);
  if (cursor !== undefined && (previous === undefined || compareCursor(cursor, previous) !== 0)) await deps.state.set(server.id, 'pull_galaxy_clusters', cursor);
  await log({ level: b.failed > 0 ? 'warn' : 'info', message: `Galaxy cluster pull from ${server.url}: ${String(b.saved)} saved, ${String(b.unchanged)} unchanged, ${String(b.failed)} failed.` });
  return b.finish(cursor, clock() - started);
}

/**
 * Pushes published custom galaxy clusters changed since the push cursor
 * (MISP's `Server::pushGalaxyClusters`) with `galaxies/pushCluster`, after
 * {@link prepareClusterForPush}'s distribution rules. The cursor is saved
 * after each handled cluster and stops at the first failure. Needs the
 * server's `push` and `pushGalaxyClusters` flags.
 */
export async function pushGalaxyClusters(server: SyncServer, deps: ClusterSyncDeps): Promise<ChannelReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createChannelReportBuilder();
  const previous = await deps.state.get(server.id, 'push_galaxy_clusters');
  if (!server.push || !server.pushGalaxyClusters) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const log: Log = (entry) => deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'push', ...entry });
  const pageSize = deps.pageSize ?? 100;
  let saved = previous;
  let scan = previous;
  let blocked = false;
  for (;;) {
    const page = await deps.local.clustersForPush(server, scan, pageSize);
    for (const item of page) {
      const position: SyncCursor = { timestamp: item.timestamp, uuid: item.uuid };
      if (scan !== undefined && compareCursor(position, scan) <= 0) {
        b.fail(new InputError(`clustersForPush returned ${item.uuid} at or before the cursor; stopping to avoid a loop`, { field: 'clustersForPush' }));
        b.aborted = true;
        break;
      }
      scan = position;
      b.candidates++;
      let ok = true;
      const verdict = prepareClusterForPush(item.cluster, server);
      if ('skip' in verdict) b.skipped++;
      else {
        try {
          await remote.pushGalaxyCluster(verdict.cluster);
          b.sent++;
          b.saved++;
        } catch (error) {
          ok = false;
          const failure = b.fail(error, item.uuid);
          await log({ level: 'error', eventUuid: item.uuid, code: failure.code, message: `Failed to push galaxy cluster ${item.uuid} (version ${String(toInt(item.cluster.version) ?? '?')}): ${failure.message}` });
          if (error instanceof UnavailableError || error instanceof AuthenticationError) b.aborted = true;
        }
      }
      if (!ok) blocked = true;
      if (ok && !blocked) {
        saved = position;
        await deps.state.set(server.id, 'push_galaxy_clusters', position);
      }
      if (b.aborted) break;
    }
    if (b.aborted || page.length < pageSize) break;
  }
  await log({ level: b.failed > 0 ? 'warn' : 'info', message: `Galaxy cluster push to ${server.url}: ${String(b.sent)} sent, ${String(b.skipped)} skipped, ${String(b.failed)} failed.` });
  return b.finish(saved, clock() - started);
}
