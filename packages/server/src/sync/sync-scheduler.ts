import type { Principal } from '@waggle/core';
import type { SyncService } from './sync-service.js';

/** What {@link startSyncScheduler} needs. */
export interface SyncSchedulerDeps {
  readonly sync: SyncService;
  /** The local user the scheduled runs act as (a site administrator). */
  readonly actor: () => Promise<Principal>;
  readonly intervalSeconds: number;
  readonly log: (message: string) => void;
}

/**
 * Pulls from every server with pull on and pushes to every server with push
 * on, every `intervalSeconds`. A round never overlaps the previous one; a
 * failing server is logged and tried again next round; nothing here throws.
 * Returns a function that stops the schedule and waits for a running round.
 */
export function startSyncScheduler(deps: SyncSchedulerDeps): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  async function round(): Promise<void> {
    const p = await deps.actor();
    for (const row of await deps.sync.list(p)) {
      if (stopped) return;
      const s = row.Server as { id: string; name: string; pull: boolean; push: boolean };
      for (const direction of ['pull', 'push'] as const) {
        if (!s[direction] || stopped) continue;
        try {
          const r = direction === 'pull' ? await deps.sync.pull(p, Number(s.id)) : await deps.sync.push(p, Number(s.id));
          if (r.aborted || r.failed > 0 || r.created + r.updated > 0) {
            deps.log(`sync ${direction} ${s.name}: ${String(r.created)} created, ${String(r.updated)} updated, ${String(r.failed)} failed${r.aborted ? `, aborted: ${r.errors[0]?.message ?? ''}` : ''}`);
          }
          for (const [name, c] of [['sightings', r.sightings], ['galaxy clusters', r.galaxyClusters]] as const) {
            if (c !== undefined && (c.aborted || c.failed > 0 || c.saved > 0)) {
              deps.log(`sync ${direction} ${s.name} ${name}: ${String(c.saved)} saved, ${String(c.failed)} failed${c.aborted ? `, aborted: ${c.errors[0]?.message ?? ''}` : ''}`);
            }
          }
        } catch (error) {
          deps.log(`sync ${direction} ${s.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = round()
      .catch((error: unknown) => deps.log(`sync round failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
      });
  }, deps.intervalSeconds * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
