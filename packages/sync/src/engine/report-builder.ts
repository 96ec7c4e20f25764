import { isWaggleError } from '@waggle/errors';
import type { SyncCursor, SyncDirection, SyncFailure, SyncReport } from '../model/sync-report.js';

/** Mutable counters of a run, turned into a {@link SyncReport} at the end. */
export interface ReportBuilder {
  listed: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  aborted: boolean;
  readonly errors: SyncFailure[];
  fail(error: unknown, eventUuid?: string): SyncFailure;
  finish(cursor: SyncCursor | undefined, durationMs: number, disabled?: boolean): SyncReport;
}

/** Describes any thrown value as a report failure (codes from waggle errors, `internal` otherwise). */
export function toFailure(error: unknown, eventUuid?: string): SyncFailure {
  const base = isWaggleError(error)
    ? { code: error.code, message: error.message, retryable: error.retryable }
    : { code: 'internal' as const, message: error instanceof Error ? error.message : String(error), retryable: false };
  return eventUuid === undefined ? base : { ...base, eventUuid };
}

/** A fresh set of counters for one run. */
export function createReportBuilder(serverId: string, direction: SyncDirection): ReportBuilder {
  const b: ReportBuilder = {
    listed: 0,
    fetched: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    aborted: false,
    errors: [],
    fail(error, eventUuid) {
      const failure = toFailure(error, eventUuid);
      b.errors.push(failure);
      if (eventUuid !== undefined) b.failed++;
      return failure;
    },
    finish(cursor, durationMs, disabled = false) {
      return {
        serverId,
        direction,
        disabled,
        aborted: b.aborted,
        listed: b.listed,
        fetched: b.fetched,
        created: b.created,
        updated: b.updated,
        unchanged: b.unchanged,
        skipped: b.skipped,
        failed: b.failed,
        errors: [...b.errors],
        ...(cursor !== undefined ? { cursor } : {}),
        durationMs,
      };
    },
  };
  return b;
}
