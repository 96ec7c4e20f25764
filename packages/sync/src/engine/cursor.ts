import type { SyncCursor } from '../model/sync-report.js';

/** Orders cursors by timestamp, then uuid. */
export function compareCursor(a: SyncCursor, b: SyncCursor): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
}

/** The later of two cursors (either may be missing). */
export function laterCursor(a: SyncCursor | undefined, b: SyncCursor | undefined): SyncCursor | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursor(a, b) >= 0 ? a : b;
}

/**
 * The last position of the longest prefix of `items` (already in cursor
 * order) whose items are all done. A failure stops the prefix, so a resumed
 * run starts at or before it and nothing is skipped.
 */
export function contiguousDone<T extends SyncCursor>(items: readonly T[], isDone: (item: T) => boolean): SyncCursor | undefined {
  let last: SyncCursor | undefined;
  for (const item of items) {
    if (!isDone(item)) break;
    last = { timestamp: item.timestamp, uuid: item.uuid };
  }
  return last;
}

/**
 * Where a pull's cursor goes after a run over `entries` (sorted), given which
 * are done: the end of the contiguous done prefix, never past the first
 * failure, never back before `previous` unless a failure lies before it.
 */
export function nextCursor(entries: readonly SyncCursor[], done: ReadonlySet<string>, previous: SyncCursor | undefined): SyncCursor | undefined {
  const prefix = contiguousDone(entries, (e) => done.has(e.uuid));
  const firstFailure = entries.find((e) => !done.has(e.uuid));
  if (firstFailure === undefined) return laterCursor(previous, prefix);
  if (prefix !== undefined) return previous !== undefined && compareCursor(previous, prefix) > 0 && compareCursor(previous, firstFailure) < 0 ? previous : prefix;
  if (previous !== undefined && compareCursor(previous, firstFailure) < 0) return previous;
  return { timestamp: firstFailure.timestamp - 1, uuid: 'ffffffff-ffff-ffff-ffff-ffffffffffff' };
}
