import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** What a tail reports about the file it follows. */
export type TailStatus =
  | { readonly state: 'following'; readonly path: string }
  | { readonly state: 'missing' | 'unreadable'; readonly path: string; readonly reason: string }
  | { readonly state: 'rotated' | 'truncated'; readonly path: string };

/** A followed file. */
export interface FileTail {
  /** Reads what was appended since the last poll (lines are delivered through `onLine`). */
  poll(): void;
  start(intervalMs: number): void;
  stop(): void;
  /** Bytes consumed so far of the current file. */
  readonly offset: number;
  /** Where the tail stands (saved by the agent so a restart resumes without losing lines). */
  position(): TailPosition | undefined;
}

/** A saved place in a file: its inode and the bytes already read. */
export interface TailPosition {
  readonly inode: number;
  readonly offset: number;
}

/** Options of {@link tailFile}. */
export interface TailFileOptions {
  /** Start at the end of an existing file (default true: only new lines), or at its beginning. */
  readonly fromEnd?: boolean;
  /** Longest line kept; longer ones are cut (default 64 KiB). */
  readonly maxLineBytes?: number;
  readonly onStatus?: (status: TailStatus) => void;
  /** Resume here when the file is still the same (same inode, not shorter). */
  readonly resume?: TailPosition;
}

const CHUNK = 64 * 1024;

/**
 * Follows a growing log file by polling (works on every file system, needs
 * no inotify watches): appended bytes are split into lines; a rotation (new
 * inode) or truncation restarts at the new file's beginning; a missing or
 * unreadable file is reported once per state change and retried, never fatal.
 */
export function tailFile(path: string, onLine: (line: string) => void, options: TailFileOptions = {}): FileTail {
  const maxLine = options.maxLineBytes ?? 64 * 1024;
  let inode: number | undefined;
  let offset = 0;
  let partial = '';
  // Multi-byte characters split across reads are joined by the decoder.
  let decoder = new StringDecoder('utf8');
  let first = true;
  let lastState = '';
  let timer: NodeJS.Timeout | undefined;

  const status = (s: TailStatus): void => {
    const key = s.state === 'missing' || s.state === 'unreadable' ? `${s.state}:${s.reason}` : s.state;
    if (key === lastState && s.state !== 'rotated' && s.state !== 'truncated') return;
    lastState = key;
    options.onStatus?.(s);
  };

  function emit(text: string): void {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    if (partial.length > maxLine) {
      onLine(partial.slice(0, maxLine));
      partial = '';
    }
    for (const p of parts) onLine(p.length > maxLine ? p.slice(0, maxLine) : p.replace(/\r$/, ''));
  }

  function poll(): void {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A file that appears later is new: read it from its beginning.
      first = false;
      status(code === 'ENOENT' ? { state: 'missing', path, reason: 'no such file' } : { state: 'unreadable', path, reason: (e as Error).message });
      return;
    }
    if (inode !== undefined && st.ino !== inode) {
      status({ state: 'rotated', path });
      offset = 0;
      partial = '';
      decoder = new StringDecoder('utf8');
    } else if (st.size < offset) {
      status({ state: 'truncated', path });
      offset = 0;
      partial = '';
      decoder = new StringDecoder('utf8');
    }
    if (first) {
      first = false;
      const r = options.resume;
      if (r !== undefined && r.inode === st.ino && r.offset <= st.size) offset = r.offset;
      else if (r !== undefined) offset = 0; // rotated while the agent was away: the new file is all new
      else if (options.fromEnd !== false) offset = st.size;
    }
    inode = st.ino;
    if (st.size === offset) {
      status({ state: 'following', path });
      return;
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      status({ state: 'unreadable', path, reason: (e as Error).message });
      return;
    }
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, offset);
        if (n <= 0) break;
        offset += n;
        emit(decoder.write(buf.subarray(0, n)));
      }
      status({ state: 'following', path });
    } finally {
      closeSync(fd);
    }
  }

  return {
    poll,
    start(intervalMs) {
      if (timer !== undefined) return;
      poll();
      timer = setInterval(poll, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    get offset() {
      return offset;
    },
    position: () => (inode === undefined ? undefined : { inode, offset }),
  };
}
