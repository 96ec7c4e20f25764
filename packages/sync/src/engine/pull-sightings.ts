import { AuthenticationError, InputError, UnavailableError } from '@waggle/errors';
import { isJsonObject, toText, type JsonObject } from '../model/misp-json.js';
import { parseRemoteSighting, type RemoteSighting } from '../model/remote-sighting.js';
import type { ChannelReport, SyncCursor, SyncLogEntry } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { createMispRemote, type MispRemote, type MispRemoteOptions } from '../remote/misp-remote.js';
import { pullRulesToIndexFilters } from '../rules/apply-pull-rules.js';
import { createChannelReportBuilder, type ChannelReportBuilder } from './channel-report.js';
import { compareCursor, nextCursor } from './cursor.js';
import type { SyncStateStore } from './ports.js';
import type { SightingLocalSide } from './sighting-ports.js';

/** Dependencies of {@link pullSightings}. */
export interface SightingPullDeps {
  readonly local: SightingLocalSide;
  readonly state: SyncStateStore;
  readonly remote?: MispRemote;
  readonly remoteOptions?: MispRemoteOptions;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  /** `events/index` page size (default 1000). */
  readonly pageSize?: number;
  /** Events whose sightings are asked for in one `sightings/restSearch` (default 20, as MISP). */
  readonly chunkSize?: number;
  /** How far before the cursor the index is asked again (default 120 s), for sightings committed late on the remote. */
  readonly overlapSeconds?: number;
}

const MAX_PAGES = 100_000;

/** One remote event with sightings newer than the cursor. */
interface Candidate extends SyncCursor {
  readonly uuid: string;
}

async function listChanged(remote: MispRemote, server: SyncServer, since: number | undefined, pageSize: number): Promise<Candidate[]> {
  const byUuid = new Map<string, Candidate>();
  const listed = new Set<string>();
  const filters: JsonObject = { ...pullRulesToIndexFilters(server.pullRules), ...(since !== undefined ? { sighting_timestamp: since } : {}) };
  for (let page = 1; page <= MAX_PAGES; page++) {
    const rows = await remote.eventIndex({ minimal: true, published: true, page, limit: pageSize, filters });
    let fresh = 0;
    for (const row of rows) {
      if (!listed.has(row.uuid)) fresh++;
      listed.add(row.uuid);
      // Checked here as well: a remote that ignores the sighting_timestamp filter lists everything.
      const ts = row.sightingTimestamp ?? 0;
      if (!row.published || ts <= 0 || (since !== undefined && ts < since)) continue;
      const seen = byUuid.get(row.uuid);
      if (seen === undefined || seen.timestamp < ts) byUuid.set(row.uuid, { uuid: row.uuid, timestamp: ts });
    }
    // A short page ends the list; a remote that ignores paging (an over-long page, or the same page again) is read once.
    if (rows.length !== pageSize || fresh === 0) break;
  }
  return [...byUuid.values()].sort(compareCursor);
}

/** Groups a restSearch answer by event; a row that cannot be read fails its event (or the chunk when it names none). */
function groupByEvent(rows: readonly JsonObject[], wanted: ReadonlySet<string>): { sightings: Map<string, RemoteSighting[]>; broken: Map<string, unknown> } {
  const sightings = new Map<string, RemoteSighting[]>();
  const broken = new Map<string, unknown>();
  rows.forEach((row, i) => {
    const named = toText(isJsonObject(row.Sighting) ? row.Sighting.event_uuid : row.event_uuid)?.toLowerCase();
    try {
      const s = parseRemoteSighting(row, `Sighting[${String(i)}]`);
      if (!wanted.has(s.eventUuid)) throw new InputError(`Sighting[${String(i)}].event_uuid: event ${s.eventUuid} was not asked for`, { field: `Sighting[${String(i)}].event_uuid` });
      sightings.set(s.eventUuid, [...(sightings.get(s.eventUuid) ?? []), s]);
    } catch (error) {
      if (named === undefined || !wanted.has(named)) throw error;
      if (!broken.has(named)) broken.set(named, error);
    }
  });
  return { sightings, broken };
}

async function pullChunk(chunk: readonly Candidate[], server: SyncServer, deps: SightingPullDeps, remote: MispRemote, b: ChannelReportBuilder, done: Set<string>, log: (e: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>) => Promise<void>): Promise<boolean> {
  let grouped: ReturnType<typeof groupByEvent>;
  try {
    grouped = groupByEvent(await remote.restSearchSightings(chunk.map((c) => c.uuid)), new Set(chunk.map((c) => c.uuid)));
  } catch (error) {
    for (const c of chunk) {
      const failure = b.fail(error, c.uuid);
      await log({ level: 'error', eventUuid: c.uuid, code: failure.code, message: `Failed to pull sightings of event ${c.uuid}: ${failure.message}` });
    }
    return !(error instanceof UnavailableError || error instanceof AuthenticationError);
  }
  for (const c of chunk) {
    const bad = grouped.broken.get(c.uuid);
    if (bad !== undefined) {
      const failure = b.fail(bad, c.uuid);
      await log({ level: 'error', eventUuid: c.uuid, code: failure.code, message: `Refused the sightings of event ${c.uuid}: ${failure.message}` });
      continue;
    }
    const list = grouped.sightings.get(c.uuid) ?? [];
    b.sent += list.length;
    try {
      const added = list.length === 0 ? 0 : await deps.local.saveSightings(server, c.uuid, list);
      b.saved += added;
      b.unchanged += list.length - added;
      done.add(c.uuid);
    } catch (error) {
      const failure = b.fail(error, c.uuid);
      await log({ level: 'error', eventUuid: c.uuid, code: failure.code, message: `Failed to save sightings of event ${c.uuid}: ${failure.message}` });
    }
  }
  return true;
}

/**
 * Pulls sightings added on `server` after their event was synced (MISP's
 * `Sighting::pullSightings`, the restSearch way): lists the remote events
 * whose `sighting_timestamp` is at or after the sighting cursor (minus an
 * overlap), keeps those that exist here, asks `sightings/restSearch/event`
 * for them in chunks, and saves each event's sightings in one transaction,
 * idempotently by sighting UUID. A malformed sighting refuses its event's
 * whole batch. The cursor (remote sighting timestamp, event uuid) only moves
 * over a contiguous prefix of handled events; never throws for remote trouble.
 */
export async function pullSightings(server: SyncServer, deps: SightingPullDeps): Promise<ChannelReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createChannelReportBuilder();
  const previous = await deps.state.get(server.id, 'pull_sightings');
  if (!server.pull) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const log = (entry: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>): Promise<void> =>
    deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'pull', ...entry });

  let entries: Candidate[];
  try {
    const since = previous === undefined ? undefined : Math.max(0, previous.timestamp - (deps.overlapSeconds ?? 120));
    entries = await listChanged(remote, server, since, deps.pageSize ?? 1000);
  } catch (error) {
    b.aborted = true;
    const failure = b.fail(error);
    await log({ level: 'error', message: `Sighting pull from ${server.url} failed: ${failure.message}`, code: failure.code });
    return b.finish(previous, clock() - started);
  }
  const done = new Set<string>();
  const known = await deps.local.eventTimestamps(entries.map((e) => e.uuid));
  const candidates: Candidate[] = [];
  for (const e of entries) {
    // Events not here yet arrive with their sightings inside the event pull.
    if (known.has(e.uuid)) candidates.push(e);
    else done.add(e.uuid);
  }
  b.candidates = candidates.length;
  const size = Math.max(1, deps.chunkSize ?? 20);
  for (let i = 0; i < candidates.length; i += size) {
    if (!(await pullChunk(candidates.slice(i, i + size), server, deps, remote, b, done, log))) {
      b.aborted = true;
      break;
    }
  }
  const cursor = nextCursor(entries, done, previous);
  if (cursor !== undefined && (previous === undefined || compareCursor(cursor, previous) !== 0)) await deps.state.set(server.id, 'pull_sightings', cursor);
  await log({
    level: b.failed > 0 ? 'warn' : 'info',
    message: `Sighting pull from ${server.url}: ${String(b.candidates)} events with new sightings, ${String(b.saved)} sightings saved, ${String(b.unchanged)} already known, ${String(b.failed)} events failed.`,
  });
  return b.finish(cursor, clock() - started);
}
