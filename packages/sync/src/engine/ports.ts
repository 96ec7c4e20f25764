import type { MispEventJson } from '../model/misp-json.js';
import type { SyncChannel, SyncCursor, SyncLogEntry } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';

/** What the engines need from the local instance; the integrator implements it over the core. */
export interface LocalSide {
  /** Local copies' timestamps for these event uuids (missing = not here). */
  eventTimestamps(uuids: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /**
   * Saves a remote event as the server's sync user, in one transaction:
   * creates or merges by UUID (newer timestamps win), applies deletions.
   * The event has already been through `prepareEventForPull` (downgraded,
   * locked, local tags removed). Should refuse (throw) to overwrite an event
   * created locally, as MISP does for unlocked events. `received` is the event
   * as the remote answered, before that preparation (what provenance digests:
   * the serving side records the same answer).
   */
  saveEvent(server: SyncServer, event: MispEventJson, received?: MispEventJson): Promise<'created' | 'updated' | 'unchanged'>;
  /**
   * Published events changed after the cursor, in (timestamp, uuid) order,
   * as full MISP JSON with SharingGroup info (and soft-deleted attributes
   * and objects, so deletions propagate), at most `limit`.
   */
  eventsForPush(server: SyncServer, after: SyncCursor | undefined, limit: number): Promise<readonly MispEventJson[]>;
  /** Event blocklist by event UUID, organisation blocklist by creator org UUID. */
  isBlocked(eventUuid: string, orgUuid: string | undefined): Promise<boolean>;
  /**
   * Records that `event`, exactly as sent, reached `server` (provenance). Called after each
   * successful push; a failure counts as a failed push, so the event is sent and recorded again.
   */
  recordPushed?(server: SyncServer, event: MispEventJson, outcome: 'created' | 'updated' | 'unchanged'): Promise<void>;
}

/** Where sync cursors and the sync log live. */
export interface SyncStateStore {
  get(serverId: string, channel: SyncChannel): Promise<SyncCursor | undefined>;
  set(serverId: string, channel: SyncChannel, cursor: SyncCursor): Promise<void>;
  log(entry: SyncLogEntry): Promise<void>;
}
