import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseCowrieLine, type CowrieRecord } from './cowrie-record.js';

/** A running tail of a Cowrie JSON-lines log. */
export interface LogTail {
  /** Reads what was appended since the last call (also run by the timer). */
  poll(): number;
  stop(): void;
}

/** Options of {@link tailCowrieLog}. */
export interface TailOptions {
  /** Start at the beginning (default) or at the current end of the file. */
  fromStart?: boolean;
  /** Polling period; 0 means no timer, call `poll()` yourself. */
  intervalMs?: number;
}

/**
 * Follows a log file by polling its size (works on every file system and
 * across `copytruncate` rotation: a file shorter than the offset is read again
 * from the start). Incomplete last lines wait for their newline.
 */
export function tailCowrieLog(path: string, onRecord: (r: CowrieRecord) => void, options: TailOptions = {}): LogTail {
  let offset = 0;
  let partial = '';
  if (options.fromStart === false) {
    try {
      offset = statSync(path).size;
    } catch {
      offset = 0;
    }
  }
  const poll = (): number => {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return 0;
    }
    if (size < offset) {
      offset = 0;
      partial = '';
    }
    if (size === offset) return 0;
    const fd = openSync(path, 'r');
    let count = 0;
    try {
      const buf = Buffer.alloc(Math.min(size - offset, 8 * 1024 * 1024));
      const n = readSync(fd, buf, 0, buf.length, offset);
      offset += n;
      const lines = (partial + buf.subarray(0, n).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const r = parseCowrieLine(line);
        if (r !== undefined) {
          onRecord(r);
          count += 1;
        }
      }
    } finally {
      closeSync(fd);
    }
    return count;
  };
  const timer = (options.intervalMs ?? 1000) > 0 ? setInterval(poll, options.intervalMs ?? 1000) : undefined;
  timer?.unref();
  return {
    poll,
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
