import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { NotFoundError } from '@waggle/errors';
import type { NumberedLine } from '../lines/read-lines.js';

/** A running tail of a growing log file. */
export interface FileFollower {
  /** Reads what was appended since the last call (the timer also calls it); returns the lines emitted. */
  poll(): number;
  /** Stops the timer, emits a pending unterminated last line, closes the file. */
  stop(): void;
  /** Times the file was replaced (rotation) or truncated. */
  readonly restarts: number;
}

/** Options of {@link followFile}. */
export interface FollowOptions {
  /** Start at the beginning (default) or at the current end of the file. */
  readonly fromStart?: boolean;
  /** Polling period; 0 means no timer (call `poll()` yourself). Default 500 ms. */
  readonly intervalMs?: number;
  /** Size of each read (default 4 MiB). */
  readonly chunkBytes?: number;
}

/**
 * Follows a log file by polling, like `tail -F`: appended lines are emitted
 * with their line numbers; when the path gets a new inode (rotation by
 * rename) the rest of the old file is read first and the new file from its
 * start; when the file shrinks (`copytruncate`) it is read again from the
 * start. An unterminated last line waits for its newline. Throws
 * `NotFoundError` when the file does not exist at start.
 */
export function followFile(path: string, onLine: (line: NumberedLine) => void, options: FollowOptions = {}): FileFollower {
  const chunk = options.chunkBytes ?? 4 * 1024 * 1024;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NotFoundError(`cannot follow ${path}: ${(e as Error).message}`);
  }
  let ino = fstatSync(fd).ino;
  let offset = options.fromStart === false ? fstatSync(fd).size : 0;
  let partial = '';
  let lineNo = 0;
  let restarts = 0;
  let stopped = false;

  const emit = (text: string): void => {
    lineNo += 1;
    onLine({ line: lineNo, text: text.endsWith('\r') ? text.slice(0, -1) : text });
  };
  const readToEnd = (): number => {
    let n = 0;
    for (;;) {
      const size = fstatSync(fd).size;
      if (size <= offset) return n;
      const buf = Buffer.alloc(Math.min(size - offset, chunk));
      const got = readSync(fd, buf, 0, buf.length, offset);
      if (got === 0) return n;
      offset += got;
      const lines = (partial + buf.subarray(0, got).toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) emit(l);
      n += lines.length;
    }
  };
  const restart = (): void => {
    restarts += 1;
    if (partial !== '') emit(partial);
    partial = '';
    offset = 0;
    lineNo = 0;
  };
  const poll = (): number => {
    if (stopped) return 0;
    let n = readToEnd();
    let current: ReturnType<typeof statSync> | undefined;
    try {
      current = statSync(path);
    } catch {
      return n; // Between rename and re-create: keep the old file until the new one appears.
    }
    if (current.ino !== ino) {
      let next: number;
      try {
        next = openSync(path, 'r');
      } catch {
        return n; // Replaced again between stat and open: the next poll retries.
      }
      closeSync(fd);
      fd = next;
      ino = fstatSync(fd).ino;
      restart();
      n += readToEnd();
    } else if (current.size < offset) {
      restart();
      n += readToEnd();
    }
    return n;
  };
  const interval = options.intervalMs ?? 500;
  const timer = interval > 0 ? setInterval(poll, interval) : undefined;
  return {
    poll,
    get restarts() {
      return restarts;
    },
    stop() {
      if (stopped) return;
      if (timer !== undefined) clearInterval(timer);
      poll();
      stopped = true;
      if (partial !== '') emit(partial);
      partial = '';
      closeSync(fd);
    },
  };
}
