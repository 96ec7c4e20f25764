import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file kept from an upload. */
export interface QuarantinedFile {
  /** Lowercase hex SHA-256 of the bytes kept. */
  shasum: string;
  /** Path of the stored copy (`<dir>/<sha256>`). */
  outfile: string;
  /** Bytes kept (at most the cap). */
  size: number;
  /** Bytes offered beyond the cap and discarded. */
  discarded: number;
  /** The same content was already in quarantine. */
  duplicate: boolean;
}

/** Collects one upload in memory up to `maxBytes`, then stores it by hash. */
export interface UploadCollector {
  /** Appends bytes; those beyond the cap are counted and dropped. */
  push(chunk: Buffer): void;
  /** Writes bytes at an offset (SFTP may pipeline writes); bytes at or beyond the cap are dropped. */
  write(offset: number, chunk: Buffer): void;
  /** Length of the file so far (highest byte written + 1, at most the cap). */
  readonly size: number;
  /** Stores the file (when a folder is configured) and returns what was kept. */
  finish(): QuarantinedFile;
}

/**
 * Starts collecting an upload. Stored files are named by their SHA-256 and made read-only
 * (0400) so nothing on the sensor runs them by accident; without `dir` nothing is written and
 * `outfile` is empty, the hash is still computed for the log. Memory held is at most `maxBytes`.
 */
export function collectUpload(dir: string | undefined, maxBytes: number): UploadCollector {
  const chunks: { offset: number; data: Buffer }[] = [];
  let size = 0;
  let held = 0;
  let discarded = 0;
  const write = (offset: number, chunk: Buffer): void => {
    const room = Math.min(maxBytes - offset, maxBytes - held);
    if (room <= 0 || offset < 0) {
      discarded += chunk.length;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    discarded += chunk.length - kept.length;
    chunks.push({ offset, data: Buffer.from(kept) });
    held += kept.length;
    size = Math.max(size, offset + kept.length);
  };
  return {
    push: (chunk) => write(size, chunk),
    write,
    get size() {
      return size;
    },
    finish() {
      const data = Buffer.alloc(size);
      for (const c of chunks) c.data.copy(data, c.offset);
      chunks.length = 0;
      const shasum = createHash('sha256').update(data).digest('hex');
      if (dir === undefined) return { shasum, outfile: '', size, discarded, duplicate: false };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const outfile = join(dir, shasum);
      if (existsSync(outfile)) return { shasum, outfile, size, discarded, duplicate: true };
      // Written under a temporary name first so a half-written file never carries a hash name.
      const temp = join(dir, `.${shasum}.${randomBytes(4).toString('hex')}.part`);
      try {
        writeFileSync(temp, data, { mode: 0o400 });
        chmodSync(temp, 0o400);
        renameSync(temp, outfile);
      } catch (error) {
        if (existsSync(temp)) unlinkSync(temp);
        throw error;
      }
      return { shasum, outfile, size, discarded, duplicate: false };
    },
  };
}
