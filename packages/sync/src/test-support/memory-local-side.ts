import { toInt, type MispEventJson } from '../model/misp-json.js';
import type { SyncCursor } from '../model/sync-report.js';
import type { SyncServer } from '../model/sync-server.js';
import { compareCursor } from '../engine/cursor.js';
import type { LocalSide } from '../engine/ports.js';
import { mergeEvent } from './merge-event.js';

/** An in-memory {@link LocalSide} with inspection and fault hooks for tests. */
export interface MemoryLocalSide extends LocalSide {
  readonly events: Map<string, MispEventJson>;
  readonly blockedEvents: Set<string>;
  readonly blockedOrgs: Set<string>;
  /** Every saveEvent call: which server, which event, what happened. */
  readonly saves: { serverId: string; uuid: string; outcome: string }[];
  /** saveEvent throws for these uuids (as a database error would). */
  readonly failSaves: Set<string>;
  put(event: MispEventJson): void;
}

/** Creates an empty {@link MemoryLocalSide}. */
export function createMemoryLocalSide(): MemoryLocalSide {
  const events = new Map<string, MispEventJson>();
  const side: MemoryLocalSide = {
    events,
    blockedEvents: new Set(),
    blockedOrgs: new Set(),
    saves: [],
    failSaves: new Set(),
    put(event) {
      events.set(event.uuid, structuredClone(event));
    },
    async eventTimestamps(uuids) {
      const out = new Map<string, number>();
      for (const uuid of uuids) {
        const e = events.get(uuid);
        const ts = e === undefined ? undefined : toInt(e.timestamp);
        if (ts !== undefined) out.set(uuid, ts);
      }
      return out;
    },
    async saveEvent(server: SyncServer, event: MispEventJson) {
      if (side.failSaves.has(event.uuid)) throw new Error(`disk full while saving ${event.uuid}`);
      const current = events.get(event.uuid);
      let outcome: 'created' | 'updated' | 'unchanged';
      if (current === undefined) {
        events.set(event.uuid, structuredClone(event));
        outcome = 'created';
      } else {
        const merged = mergeEvent(current, event);
        events.set(event.uuid, merged.event);
        outcome = merged.changed ? 'updated' : 'unchanged';
      }
      side.saves.push({ serverId: server.id, uuid: event.uuid, outcome });
      return outcome;
    },
    async eventsForPush(_server: SyncServer, after: SyncCursor | undefined, limit: number) {
      return [...events.values()]
        .filter((e) => e.published === true)
        .map((e) => ({ e, pos: { timestamp: toInt(e.timestamp) ?? 0, uuid: e.uuid } }))
        .filter(({ pos }) => after === undefined || compareCursor(pos, after) > 0)
        .sort((a, b) => compareCursor(a.pos, b.pos))
        .slice(0, limit)
        .map(({ e }) => structuredClone(e));
    },
    async isBlocked(eventUuid, orgUuid) {
      return side.blockedEvents.has(eventUuid) || (orgUuid !== undefined && side.blockedOrgs.has(orgUuid));
    },
  };
  return side;
}
