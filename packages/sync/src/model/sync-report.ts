import type { ErrorCode } from '@waggle/errors';

/** Which way a sync run moves events. */
export type SyncDirection = 'pull' | 'push';

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
