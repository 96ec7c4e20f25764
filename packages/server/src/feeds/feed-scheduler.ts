import type { FeedService } from './create-feed-service.js';

/** Where the scheduler reports (the CLI's output fits). */
export interface FeedSchedulerLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link startFeedScheduler}. */
export interface FeedSchedulerOptions {
  readonly service: Pick<FeedService, 'fetchAll' | 'cache' | 'importPrincipal'>;
  /** Time between the end of one round and the start of the next. */
  readonly intervalSeconds: number;
  readonly log: FeedSchedulerLog;
  /** Delay before the first round (default: one interval). */
  readonly firstRunAfterSeconds?: number;
}

/**
 * Fetches every enabled feed and rebuilds the cache of every feed with caching
 * enabled, every `intervalSeconds`. Rounds never overlap: the next one is
 * scheduled when the previous has finished. A failing feed (or a failing
 * round) is logged and tried again next round; nothing here can throw into the
 * process. Returns `stop`, which cancels the next round and waits for a
 * running one to finish.
 */
export function startFeedScheduler(options: FeedSchedulerOptions): () => Promise<void> {
  const { service, log } = options;
  if (!Number.isFinite(options.intervalSeconds) || options.intervalSeconds < 1) throw new RangeError(`intervalSeconds must be at least 1, got ${options.intervalSeconds}`);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  async function round(): Promise<void> {
    const p = await service.importPrincipal();
    for (const report of await service.fetchAll(p)) {
      const what = `feed ${report.feedId} "${report.name}": ${report.added} added, ${report.updated} updated`;
      if (report.ok) log.info(`${what}.`);
      else log.warn(`${what}; ${report.errors.length} problem(s), first: ${report.errors[0]?.message ?? ''}`);
    }
    const cached = await service.cache(p, 'all');
    for (const entry of cached.feeds) if (entry.error !== undefined) log.warn(`feed ${entry.id} "${entry.name}": caching failed: ${entry.error}`);
  }

  const schedule = (seconds: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round()
        .catch((error: unknown) => {
          try {
            log.warn(`feed round failed: ${error instanceof Error ? error.message : String(error)}`);
          } catch {
            // A broken logger must not turn into an unhandled rejection.
          }
        })
        .finally(() => {
          current = undefined;
          schedule(options.intervalSeconds);
        });
    }, seconds * 1000);
    // A pending round must not keep the process alive on shutdown.
    timer.unref();
  };
  schedule(options.firstRunAfterSeconds ?? options.intervalSeconds);

  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await current;
  };
}
