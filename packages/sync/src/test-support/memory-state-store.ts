import type { SyncChannel, SyncCursor, SyncLogEntry } from '../model/sync-report.js';
import type { SyncStateStore } from '../engine/ports.js';

/** An in-memory {@link SyncStateStore} exposing its cursors and log. */
export interface MemoryStateStore extends SyncStateStore {
  readonly cursors: Map<string, SyncCursor>;
  readonly entries: SyncLogEntry[];
}

/** Creates an empty {@link MemoryStateStore}. */
export function createMemoryStateStore(): MemoryStateStore {
  const cursors = new Map<string, SyncCursor>();
  const entries: SyncLogEntry[] = [];
  const key = (serverId: string, channel: SyncChannel): string => `${serverId}:${channel}`;
  return {
    cursors,
    entries,
    async get(serverId, direction) {
      return cursors.get(key(serverId, direction));
    },
    async set(serverId, direction, cursor) {
      cursors.set(key(serverId, direction), cursor);
    },
    async log(entry) {
      entries.push(entry);
    },
  };
}
