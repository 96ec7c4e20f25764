import type { ChannelReport, SyncCursor, SyncFailure } from '../model/sync-report.js';
import { toFailure } from './report-builder.js';

/** Mutable counters of a channel run, turned into a {@link ChannelReport} at the end. */
export interface ChannelReportBuilder {
  candidates: number;
  sent: number;
  saved: number;
  unchanged: number;
  skipped: number;
  failed: number;
  aborted: boolean;
  readonly errors: SyncFailure[];
  /** Records a failure; one naming an item (`uuid`) counts in `failed`. */
  fail(error: unknown, uuid?: string): SyncFailure;
  finish(cursor: SyncCursor | undefined, durationMs: number, disabled?: boolean): ChannelReport;
}

/** Fresh counters for one channel run. */
export function createChannelReportBuilder(): ChannelReportBuilder {
  const b: ChannelReportBuilder = {
    candidates: 0, sent: 0, saved: 0, unchanged: 0, skipped: 0, failed: 0, aborted: false, errors: [],
    fail(error, uuid) {
      const failure = toFailure(error, uuid);
      b.errors.push(failure);
      if (uuid !== undefined) b.failed++;
      return failure;
    },
    finish(cursor, durationMs, disabled = false) {
      return {
        disabled, aborted: b.aborted, candidates: b.candidates, sent: b.sent, saved: b.saved, unchanged: b.unchanged,
        skipped: b.skipped, failed: b.failed, errors: [...b.errors], ...(cursor !== undefined ? { cursor } : {}), durationMs,
      };
    },
  };
  return b;
}
