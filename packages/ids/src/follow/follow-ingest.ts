import type { Finding } from '@waggle/findings';
import { createIngestor, type IngestorOptions } from '../ingest/ingestor.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { LineHandler } from '../ingest/line-handlers.js';
import { followFile, type FileFollower } from './follow-file.js';

/** Settings of {@link followIngest}. */
export interface FollowIngestOptions extends IngestorOptions {
  readonly path: string;
  readonly handler: LineHandler;
  /** Receives findings as their windows close, and the rest at `stop`. */
  readonly onFindings: (found: Finding[]) => void;
  /** Polling period (default 1 s). */
  readonly intervalMs?: number;
  /** Start at the end of the file instead of its beginning. */
  readonly fromEnd?: boolean;
}

/** A running follow ingestion. */
export interface FollowIngest {
  /** Reads what was appended and emits closed windows (the timer also does it). */
  poll(): void;
  /** Stops following and emits every pending aggregate (call on SIGINT/SIGTERM). */
  stop(): void;
  readonly stats: IngestStats;
  readonly follower: FileFollower;
}

/**
 * Tails a growing IDS log (rotation and truncation handled by
 * {@link followFile}) through an ingestor, handing findings out as their
 * aggregation windows close, so a long-running scan still ends up as one
 * finding per window.
 */
export function followIngest(options: FollowIngestOptions): FollowIngest {
  const ingestor = createIngestor(options.handler, options);
  const emit = (found: Finding[]): void => {
    if (found.length > 0) options.onFindings(found);
  };
  const follower = followFile(options.path, (line) => ingestor.push(line), { intervalMs: 0, fromStart: options.fromEnd !== true });
  const poll = (): void => {
    follower.poll();
    emit(ingestor.take());
  };
  const timer = setInterval(poll, options.intervalMs ?? 1000);
  let stopped = false;
  return {
    poll,
    stats: ingestor.stats,
    follower,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      follower.stop();
      emit(ingestor.take(true));
    },
  };
}
