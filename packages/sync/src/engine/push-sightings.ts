import { AuthenticationError, ForbiddenError, InputError, NotFoundError, UnavailableError } from '@waggle/errors';
import { remoteSightingJson } from '../model/remote-sighting.js';
import type { ChannelReport, SyncCursor, SyncLogEntry } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { createMispRemote, type MispRemote, type MispRemoteOptions } from '../remote/misp-remote.js';
import type { PushContext } from '../rules/prepare-event-for-push.js';
import { pushGateRefusal } from '../rules/push-gate.js';
import { createChannelReportBuilder, type ChannelReportBuilder } from './channel-report.js';
import { compareCursor } from './cursor.js';
import type { SyncStateStore } from './ports.js';
import type { SightingLocalSide, SightingPushCandidate } from './sighting-ports.js';

/** Dependencies of {@link pushSightings}. */
export interface SightingPushDeps {
  readonly local: SightingLocalSide;
  readonly state: SyncStateStore;
  readonly remote?: MispRemote;
  readonly remoteOptions?: MispRemoteOptions;
  readonly context?: PushContext;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  /** Events read from the local side at once (default 100). */
  readonly pageSize?: number;
  /** Sightings per `bulkSaveSightings` request (default 1000). */
  readonly batchSize?: number;
}

type Outcome = 'sent' | 'skipped';

async function pushOne(c: SightingPushCandidate, server: SyncServer, deps: SightingPushDeps, remote: MispRemote, filters: boolean, b: ChannelReportBuilder): Promise<Outcome> {
  if (pushGateRefusal(c.event, server, deps.context) !== undefined) return 'skipped';
  const sightings = await deps.local.sightingsForPush(server, c.uuid);
  if (sightings.length === 0) return 'skipped';
  let existing: Set<string>;
  try {
    if (filters) existing = new Set(await remote.filterSightingUuidsForPush(c.uuid, sightings.map((s) => s.uuid)));
    else {
      // Without the filter endpoint (older MISP), only the event's presence is checked; the remote skips known UUIDs itself.
      if (!(await remote.eventExists(c.uuid))) return 'skipped';
      existing = new Set();
    }
  } catch (error) {
    // The remote does not have the event (or may not show it to us): its sightings travel with the event once it is pushed.
    if (error instanceof NotFoundError) return 'skipped';
    throw error;
  }
  const fresh = sightings.filter((s) => !existing.has(s.uuid));
  b.unchanged += sightings.length - fresh.length;
  const size = Math.max(1, deps.batchSize ?? 1000);
  for (let i = 0; i < fresh.length; i += size) {
    const batch = fresh.slice(i, i + size);
    const saved = await remote.bulkSaveSightings(c.uuid, batch.map(remoteSightingJson));
    b.sent += batch.length;
    b.saved += saved;
    b.unchanged += batch.length - saved;
  }
  return 'sent';
}

/**
 * Pushes sightings added here after their event was synced (MISP's
 * `Sighting::pushSightings`): local events whose sighting timestamp is after
 * the push cursor, in order; for each, MISP's distribution and push-rule gate
 * as for the event, then the sightings the remote organisation may see, minus
 * those the remote already has (`filterSightingUuidsForPush`), sent with
 * `bulkSaveSightings/<event>`. Events the remote does not have are skipped.
 * The cursor is saved after each handled event and stops at the first
 * failure, so an interrupted run resumes there; an outage or a bad key stops
 * the run. Needs the server's `push` and `pushSightings` flags.
 */
export async function pushSightings(server: SyncServer, deps: SightingPushDeps): Promise<ChannelReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createChannelReportBuilder();
  const previous = await deps.state.get(server.id, 'push_sightings');
  if (!server.push || !server.pushSightings) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const pageSize = deps.pageSize ?? 100;
  const log = (entry: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>): Promise<void> =>
    deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'push', ...entry });

  let filters: boolean;
  try {
    const version = await remote.getVersion();
    if (version.permSync === false) throw new ForbiddenError('The remote user is not a sync user - sightings are not pushed.');
    filters = version.raw.filter_sightings === true;
  } catch (error) {
    b.aborted = true;
    const failure = b.fail(error);
    await log({ level: 'error', message: `Sighting push to ${server.url} failed: ${failure.message}`, code: failure.code });
    return b.finish(previous, clock() - started);
  }

  let saved: SyncCursor | undefined = previous;
  let scan: SyncCursor | undefined = previous;
  let blocked = false;
  for (;;) {
    const page = await deps.local.sightingEventsForPush(server, scan, pageSize);
    for (const c of page) {
      const position: SyncCursor = { timestamp: c.sightingTimestamp, uuid: c.uuid };
      if (scan !== undefined && compareCursor(position, scan) <= 0) {
        b.fail(new InputError(`sightingEventsForPush returned event ${c.uuid} at or before the cursor; stopping to avoid a loop`, { field: 'sightingEventsForPush' }));
        b.aborted = true;
        break;
      }
      scan = position;
      b.candidates++;
      let ok = true;
      try {
        if ((await pushOne(c, server, deps, remote, filters, b)) === 'skipped') b.skipped++;
      } catch (error) {
        ok = false;
        const failure = b.fail(error, c.uuid);
        await log({ level: 'error', eventUuid: c.uuid, code: failure.code, message: `Failed to push sightings of event ${c.uuid}: ${failure.message}` });
        if (error instanceof UnavailableError || error instanceof AuthenticationError) b.aborted = true;
      }
      if (!ok) blocked = true;
      if (ok && !blocked) {
        saved = position;
        await deps.state.set(server.id, 'push_sightings', position);
      }
      if (b.aborted) break;
    }
    if (b.aborted || page.length < pageSize) break;
  }
  await log({
    level: b.failed > 0 ? 'warn' : 'info',
    message: `Sighting push to ${server.url}: ${String(b.candidates)} events with new sightings, ${String(b.sent)} sightings sent, ${String(b.saved)} saved there, ${String(b.skipped)} events skipped, ${String(b.failed)} failed.`,
  });
  return b.finish(saved, clock() - started);
}
