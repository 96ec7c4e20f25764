import { AuthenticationError, ForbiddenError, InputError, UnavailableError } from '@waggle/errors';
import { toInt, type MispEventJson } from '../model/misp-json.js';
import type { SyncCursor, SyncLogEntry, SyncReport } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { createMispRemote, type MispRemote, type MispRemoteOptions, type RemoteVersion } from '../remote/misp-remote.js';
import { prepareEventForPush, type PushContext } from '../rules/prepare-event-for-push.js';
import { compareCursor } from './cursor.js';
import type { LocalSide, SyncStateStore } from './ports.js';
import { createReportBuilder } from './report-builder.js';

/** Dependencies of {@link push}. */
export interface PushDeps {
  readonly local: LocalSide;
  readonly state: SyncStateStore;
  readonly remote?: MispRemote;
  readonly remoteOptions?: MispRemoteOptions;
  /** Sharing-group membership and the announced base URL, see {@link PushContext}. */
  readonly context?: PushContext;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  /** Events read from the local side at once (default 100). */
  readonly pageSize?: number;
  /**
   * Told the remote's `servers/getVersion` answer before anything is sent; may return how
   * each event is to be shaped for that remote (e.g. a stock MISP rather than waggle).
   */
  readonly shapeFor?: (version: RemoteVersion) => ((event: MispEventJson) => MispEventJson) | undefined;
}

/**
 * Pushes local events changed since the push cursor to `server`: MISP's
 * `Server::push` ("incremental" technique) keyed by (timestamp, uuid)
 * instead of the event id, so edits are pushed again. Each event goes
 * through {@link prepareEventForPush}; what may leave is sent with
 * HEAD + `events/add` or `events/edit` (`ServerSyncTool::pushEvent`). The
 * cursor is saved after each handled event and stops at the first failure
 * (MISP keeps the lowest failed id), so the next run retries it; later
 * events are still tried in this run. An outage or a bad key stops the run.
 */
export async function push(server: SyncServer, deps: PushDeps): Promise<SyncReport> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const b = createReportBuilder(server.id, 'push');
  const previous = await deps.state.get(server.id, 'push');
  if (!server.push) return b.finish(previous, 0, true);
  const remote = deps.remote ?? createMispRemote(server, deps.remoteOptions);
  const pageSize = deps.pageSize ?? 100;
  const log = (entry: Omit<SyncLogEntry, 'at' | 'serverId' | 'direction'>): Promise<void> =>
    deps.state.log({ at: Math.floor(clock() / 1000), serverId: server.id, direction: 'push', ...entry });

  let shape: ((event: MispEventJson) => MispEventJson) | undefined;
  try {
    const version = await remote.getVersion();
    // Server::checkVersionCompatibility: only a sync user may receive pushes.
    if (version.permSync === false) throw new ForbiddenError('The remote user is not a sync user - the upload of the event has been blocked.');
    shape = deps.shapeFor?.(version);
  } catch (error) {
    b.aborted = true;
    const failure = b.fail(error);
    await log({ level: 'error', message: `Push to ${server.url} failed: ${failure.message}`, code: failure.code });
    return b.finish(previous, clock() - started);
  }

  let saved: SyncCursor | undefined = previous;
  let scan: SyncCursor | undefined = previous;
  let blocked = false;
  for (;;) {
    const page = await deps.local.eventsForPush(server, scan, pageSize);
    for (const event of page) {
      const timestamp = toInt(event.timestamp);
      if (timestamp === undefined) {
        // A local event without a timestamp cannot be placed in cursor order: a local data error.
        b.fail(new InputError(`Event ${event.uuid} has no timestamp`, { field: 'timestamp' }), event.uuid);
        b.aborted = true;
        break;
      }
      const position: SyncCursor = { timestamp, uuid: event.uuid };
      if (scan !== undefined && compareCursor(position, scan) <= 0) {
        b.fail(new InputError(`eventsForPush returned event ${event.uuid} at or before the cursor; stopping to avoid a loop`, { field: 'eventsForPush' }));
        b.aborted = true;
        break;
      }
      scan = position;
      b.listed++;
      let ok = true;
      const verdict = prepareEventForPush(shape === undefined ? event : shape(event), server, deps.context);
      if ('skip' in verdict) b.skipped++;
      else {
        try {
          const outcome = await remote.pushEvent(verdict.event);
          await deps.local.recordPushed?.(server, verdict.event, outcome);
          b.fetched++;
          b[outcome]++;
        } catch (error) {
          ok = false;
          const failure = b.fail(error, event.uuid);
          await log({ level: 'error', eventUuid: event.uuid, code: failure.code, message: `Failed to push event ${event.uuid}: ${failure.message}` });
          if (error instanceof UnavailableError || error instanceof AuthenticationError) b.aborted = true;
        }
      }
      if (!ok) blocked = true;
      if (ok && !blocked) {
        saved = position;
        await deps.state.set(server.id, 'push', position);
      }
      if (b.aborted) break;
    }
    if (b.aborted || page.length < pageSize) break;
  }
  await log({
    level: b.failed > 0 ? 'warn' : 'info',
    message: `Push to ${server.url}: ${b.created} created, ${b.updated} updated, ${b.unchanged} unchanged, ${b.skipped} skipped, ${b.failed} failed.`,
  });
  return b.finish(saved, clock() - started);
}
