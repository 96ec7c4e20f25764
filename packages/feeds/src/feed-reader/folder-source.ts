import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, TooLargeError, UnavailableError, isWaggleError } from '@waggle/errors';
import { assertFeedFileName } from '../shared/feed-files.js';
import type { FeedSource } from './feed-source.js';
import { decodeUtf8, utf8Lines } from './utf8-lines.js';

/** Options of {@link folderSource}. */
export interface FolderSourceOptions {
  /** Largest file read whole with `readText` (default 256 MiB). */
  readonly maxBytes?: number;
}

/** A FeedSource reading a MISP feed from folder `dir` (a local feed, or one written by `folderSink`). */
export function folderSource(dir: string, options: FolderSourceOptions = {}): FeedSource {
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const describe = (name: string): string => join(dir, name);
  const failure = (name: string, error: unknown): Error => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new NotFoundError(`${describe(name)} does not exist.`, { file: describe(name) });
    return new UnavailableError(`Could not read ${describe(name)}: ${(error as Error).message}`, error);
  };
  const checkedPath = async (name: string): Promise<{ path: string; size: number }> => {
    assertFeedFileName(name);
    const path = describe(name);
    try {
      const info = await stat(path);
      return { path, size: info.size };
    } catch (error) {
      throw failure(name, error);
    }
  };
  return {
    location: dir,
    describe,
    async readText(name) {
      const { path, size } = await checkedPath(name);
      if (size > maxBytes) throw new TooLargeError(`${path} is ${size} bytes, over the limit of ${maxBytes}.`, { file: path });
      try {
        return decodeUtf8(await readFile(path), path);
      } catch (error) {
        throw isWaggleError(error) ? error : failure(name, error);
      }
    },
    async *readLines(name) {
      const { path } = await checkedPath(name);
      try {
        yield* utf8Lines(createReadStream(path), path);
      } catch (error) {
        throw isWaggleError(error) ? error : failure(name, error);
      }
    },
  };
}
