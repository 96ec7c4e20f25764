import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventSink } from '../service.js';
import type { HoneypotEvent } from './event.js';

/** Options of {@link createJsonLinesSink}. */
export interface JsonLinesSinkOptions {
  /** Pending bytes that force a synchronous flush (default 64 KiB), which bounds memory. */
  flushBytes?: number;
  /** Called when a write fails; the sink keeps going (a honeypot must not die on a full disk). */
  onError?: (error: unknown) => void;
}

/** A JSON-lines file sink; `reopen()` supports move-and-signal log rotation. */
export interface JsonLinesSink extends EventSink {
  /** Writes pending lines now. */
  flush(): void;
  /** Flushes, closes and opens the path again (after an external tool moved the file away). */
  reopen(): void;
}

/**
 * Appends one JSON object per line to `path` (created with its folder, mode 0640). Lines are
 * batched within one event-loop turn and written with `O_APPEND`, so `copytruncate` rotation
 * and several writers stay line-atomic; no rotation is needed for the sink to keep working.
 */
export function createJsonLinesSink(path: string, options: JsonLinesSinkOptions = {}): JsonLinesSink {
  const flushBytes = options.flushBytes ?? 65_536;
  const onError = options.onError ?? (() => undefined);
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a', 0o640);
  let pending: string[] = [];
  let pendingBytes = 0;
  let scheduled: NodeJS.Immediate | undefined;

  const flush = (): void => {
    if (scheduled !== undefined) {
      clearImmediate(scheduled);
      scheduled = undefined;
    }
    if (pending.length === 0 || fd === undefined) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingBytes = 0;
    try {
      let offset = 0;
      while (offset < chunk.length) offset += writeSync(fd, chunk, offset);
    } catch (error) {
      onError(error);
    }
  };

  return {
    write(event: HoneypotEvent) {
      if (fd === undefined) return;
      const line = `${JSON.stringify(event)}\n`;
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= flushBytes) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
    reopen() {
      flush();
      if (fd !== undefined) closeSync(fd);
      fd = openSync(path, 'a', 0o640);
    },
    close() {
      flush();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      return Promise.resolve();
    },
  };
}
