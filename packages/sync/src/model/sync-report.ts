import type { ErrorCode } from '@waggle/errors';

/** Which way a sync run moves events. */
export type SyncDirection = 'pull' | 'push';

/**
 * What a saved cursor tracks: events (`pull`, `push`), and the channels MISP
 * syncs on their own, sightings and custom galaxy clusters, each per direction.
 */
export type SyncChannel = SyncDirection | 'pull_sightings' | 'push_sightings' | 'pull_galaxy_clusters' | 'push_galaxy_clusters';

/**
 * Resume point of a sync run: everything at or before `(timestamp, uuid)`, in
 * that order, has been handled. UUIDs break ties between events changed in
 * the same second.
 */
export interface SyncCursor {
  readonly timestamp: number;
  readonly uuid: string;
}

/** One failure in a run; `eventUuid` is absent when the whole run failed. */
export interface SyncFailure {
  readonly eventUuid?: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

/** Outcome of one pull or push run. */
export interface SyncReport {
  readonly serverId: string;
  readonly direction: SyncDirection;
  /** True when the server has this direction switched off; nothing was done. */
  readonly disabled: boolean;
  /** True when the run stopped early (authentication failure, remote unreachable). */
  readonly aborted: boolean;
  /** Events listed by the remote index (pull) or read locally (push). */
  readonly listed: number;
  /** Events downloaded (pull) or sent (push). */
  readonly fetched: number;
  readonly created: number;
  readonly updated: number;
  /** Already up to date: same timestamp locally (pull) or the remote's copy is not older (push). */
  readonly unchanged: number;
  /** Left out on purpose: blocklist, rules, distribution. */
  readonly skipped: number;
  readonly failed: number;
  readonly errors: readonly SyncFailure[];
  /** The cursor saved at the end of the run. */
  readonly cursor?: SyncCursor;
  readonly durationMs: number;
  /** The sightings channel of the same run (sightings added after their event was synced). */
  readonly sightings?: ChannelReport;
  /** The custom galaxy clusters channel of the same run. */
  readonly galaxyClusters?: ChannelReport;
}

/**
 * Outcome of one run of a separate channel (sightings, galaxy clusters).
 * `candidates` counts what was looked at (events with new sightings,
 * clusters listed), `sent` what travelled, `saved` what was added or changed
 * on the receiving side.
 */
export interface ChannelReport {
  readonly disabled: boolean;
  readonly aborted: boolean;
  readonly candidates: number;
  readonly sent: number;
  readonly saved: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
  readonly errors: readonly SyncFailure[];
  readonly cursor?: SyncCursor;
  readonly durationMs: number;
}

/** A line of the sync log (MISP writes the same facts into its `logs` table). */
export interface SyncLogEntry {
  /** Unix time, seconds. */
  readonly at: number;
  readonly serverId: string;
  readonly direction: SyncDirection;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly eventUuid?: string;
  readonly code?: ErrorCode;
}
