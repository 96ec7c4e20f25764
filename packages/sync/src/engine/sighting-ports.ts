import type { MispEventJson } from '../model/misp-json.js';
import type { RemoteSighting } from '../model/remote-sighting.js';
import type { SyncCursor } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';

/** A local event whose sightings changed, as the sighting push reads it. */
export interface SightingPushCandidate {
  readonly uuid: string;
  /** When the event's sightings last changed here (Unix seconds): the push cursor's order. */
  readonly sightingTimestamp: number;
  /**
   * The event's metadata as MISP JSON (`published`, `distribution`,
   * `SharingGroup` for distribution 4, `Tag`, `Orgc`): what MISP's push
   * rules and distribution checks read. Attributes are not needed.
   */
  readonly event: MispEventJson;
}

/** What the sighting channel needs from the local instance. */
export interface SightingLocalSide {
  /** Local copies' event timestamps for these uuids (missing = not here). */
  eventTimestamps(uuids: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /**
   * Saves sightings of one event from `server`, in one transaction: new ones
   * by UUID with their organisation, known UUIDs and attributes unknown (or
   * invisible) here skipped. Returns how many were added.
   */
  saveSightings(server: SyncServer, eventUuid: string, sightings: readonly RemoteSighting[]): Promise<number>;
  /** Events whose sighting timestamp is after the cursor, in (sighting timestamp, uuid) order, at most `limit`. */
  sightingEventsForPush(server: SyncServer, after: SyncCursor | undefined, limit: number): Promise<readonly SightingPushCandidate[]>;
  /** The event's sightings the remote organisation may see (MISP's sighting policy: its own, or all on events it owns). */
  sightingsForPush(server: SyncServer, eventUuid: string): Promise<readonly RemoteSighting[]>;
}
