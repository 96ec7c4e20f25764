import { UnavailableError, AuthenticationError } from '@waggle/errors';
import { isJsonObject, toText } from '../model/misp-json.js';
import type { SyncLogEntry, SyncReport } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { createMispRemote, type MispRemote, type MispRemoteOptions } from '../remote/misp-remote.js';
import type { RemoteIndexEntry } from '../remote/parse-index.js';
import { applyPullRules, pullRulesToIndexFilters } from '../rules/apply-pull-rules.js';
import { prepareEventForPull } from '../rules/downgrade-on-receive.js';
import { compareCursor, nextCursor } from './cursor.js';
import { mapConcurrent } from './map-concurrent.js';
import type { LocalSide, SyncStateStore } from './ports.js';
import { createReportBuilder, type ReportBuilder } from './report-builder.js';

/** Dependencies of {@link pull}. */
export interface PullDeps {
  readonly local: LocalSide;
  readonly state: SyncStateStore;
  /** The remote client; built with `createMispRemote(server, remoteOptions)` when absent. */
  readonly remote?: MispRemote;
  readonly remoteOptions?: MispRemoteOptions;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  /** Events downloaded at once (default 4). */
  readonly concurrency?: number;
  /** `events/index` page size (default 1000). */
  readonly pageSize?: number;
  /**
   * How far before the cursor the index is asked again (default 120 s), so an
   * event saved on the remote with an older timestamp after the last run
   * (slow transaction, clock skew) is still seen.
   */
  readonly overlapSeconds?: number;
}

const MAX_PAGES = 100_000;
const LOOKUP_CHUNK = 1000;

async function listIndex(remote: MispRemote, server: SyncServer, since: number | undefined, pageSize: number): Promise<RemoteIndexEntry[]> {
  const byUuid = new Map<string, RemoteIndexEntry>();
  const filters = pullRulesToIndexFilters(server.pullRules);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const rows = await remote.eventIndex({ minimal: true, published: true, page, limit: pageSize, filters, ...(since !== undefined ? { timestamp: since } : {}) });
    let fresh = 0;
    for (const row of rows) {
      const seen = byUuid.get(row.uuid);
      if (seen === undefined) fresh++;
      if (seen === undefined || seen.timestamp < row.timestamp) byUuid.set(row.uuid, row);
    }
    // A short page ends the list; a remote that ignores paging (an over-long page, or the same page again) is read once.
    if (rows.length < pageSize || rows.length > pageSize || fresh === 0) break;
  }
  return [...byUuid.values()];
}

async function localTimestamps(local: LocalSide, uuids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < uuids.length; i += LOOKUP_CHUNK) {
    const part = await local.eventTimestamps(uuids.slice(i, i + LOOKUP_CHUNK));
    for (const [uuid, ts] of part) out.set(uuid.toLowerCase(), ts);
  }
  return out;
}

function orgcUuidOf(event: Record<string, unknown>): string | undefined {
  const uuid = isJsonObject(event.Orgc) ? toText(event.Orgc.uuid) : toText(event.orgc_uuid);
  return uuid?.toLowerCase();
}

async function pullOne(entry: RemoteIndexEntry, server: SyncServer, deps: PullDeps, remote: MispRemote, b: ReportBuilder): Promise<void> {
  const event = await remote.viewEvent(entry.uuid);
  b.fetched++;
  // MISP checks the blocklist again on the downloaded event (Server::__checkIfEventIsBlockedBeforePull).
  if (await deps.local.isBlocked(entry.uuid, orgcUuidOf(event) ?? entry.orgcUuid)) {
    b.skipped++;
    return;
  }
  if (!applyPullRules(event, server.pullRules).accept) {
    b.skipped++;
    return;
  }
  const verdict = prepareEventForPull(event, server.pullRules);
  if ('skip' in verdict) {
    b.skipped++;
    return;
  }
  const outcome = await deps.local.saveEvent(server, verdict.event, event);
  b[outcome]++;
}

/**
 * Pulls changed events from `server` into the local instance: MISP's
 * `Server::pull` ("full" technique) made incremental. Lists the remote
 * `events/index` (minimal, published only, timestamp ≥ cursor − overlap, in
 * pages, with the pull rules as filters), drops blocklisted events and
 * organisations and pull-rule rejects, compares with local timestamps (MISP
 * `removeOlder`), downloads what is newer with bounded concurrency, applies
 * the pull-side downgrade and saves each event. The cursor only moves over a
 * contiguous prefix of handled events in (timestamp, uuid) order, so a
 * failure is retried next run and nothing after it is lost. Never throws for
 * remote or per-event trouble: it is all in the report and the sync log.
 */
export async function pull(server: SyncServer, deps: PullDeps): Promise<SyncReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createReportBuilder(server.id, 'pull');
  const previous = await deps.state.get(server.id, 'pull');
  if (!server.pull) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const log = (entry: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>): Promise<void> =>
    deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'pull', ...entry });

  let entries: RemoteIndexEntry[];
  try {
    await remote.getVersion();
    const since = previous === undefined ? undefined : Math.max(0, previous.timestamp - (deps.overlapSeconds ?? 120));
    entries = (await listIndex(remote, server, since, deps.pageSize ?? 1000)).filter((e) => e.published);
  } catch (error) {
    b.aborted = true;
    const failure = b.fail(error);
    await log({ level: 'error', message: `Pull from ${server.url} failed: ${failure.message}`, code: failure.code });
    return b.finish(previous, clock() - started);
  }
  entries.sort(compareCursor);
  b.listed = entries.length;

  const done = new Set<string>();
  const candidates: RemoteIndexEntry[] = [];
  for (const entry of entries) {
    if ((await deps.local.isBlocked(entry.uuid, entry.orgcUuid)) || !applyPullRules(entry, server.pullRules).accept) {
      b.skipped++;
      done.add(entry.uuid);
    } else candidates.push(entry);
  }
  const known = await localTimestamps(deps.local, candidates.map((e) => e.uuid));
  const toFetch = candidates.filter((entry) => {
    const mine = known.get(entry.uuid);
    if (mine !== undefined && mine >= entry.timestamp) {
      b.unchanged++;
      done.add(entry.uuid);
      return false;
    }
    return true;
  });

  let stop = false;
  await mapConcurrent(
    toFetch,
    deps.concurrency ?? 4,
    async (entry) => {
      try {
        await pullOne(entry, server, deps, remote, b);
        done.add(entry.uuid);
      } catch (error) {
        // An outage or a revoked key fails every later request too: stop starting new ones.
        if (error instanceof UnavailableError || error instanceof AuthenticationError) stop = true;
        const failure = b.fail(error, entry.uuid);
        await log({ level: 'error', eventUuid: entry.uuid, code: failure.code, message: `Failed to pull event ${entry.uuid}: ${failure.message}` });
      }
    },
    () => stop,
  );
  if (stop) b.aborted = true;

  const cursor = nextCursor(entries, done, previous);
  if (cursor !== undefined && (previous === undefined || compareCursor(cursor, previous) !== 0)) await deps.state.set(server.id, 'pull', cursor);
  await log({
    level: b.failed > 0 ? 'warn' : 'info',
    message: `Pull from ${server.url}: ${b.created} created, ${b.updated} updated, ${b.unchanged} unchanged, ${b.skipped} skipped, ${b.failed} failed.`,
  });
  return b.finish(cursor, clock() - started);
}
