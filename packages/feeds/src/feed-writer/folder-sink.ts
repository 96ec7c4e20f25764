import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UnavailableError } from '@waggle/errors';
import { assertFeedFileName } from '../shared/feed-files.js';
import type { FeedSink, StagedFile } from './feed-sink.js';

/**
 * A FeedSink writing into folder `dir` (created when missing). Temporary files
 * are hidden (`.name.<random>.tmp`) in the same folder, so the final rename
 * never crosses file systems.
 */
export function folderSink(dir: string): FeedSink {
  let ready: Promise<unknown> | undefined;
  const ensureDir = (): Promise<unknown> => (ready ??= mkdir(dir, { recursive: true }));
  const pathOf = (name: string): string => {
    assertFeedFileName(name);
    return join(dir, name);
  };
  const tempOf = (name: string): string => join(dir, `.${name}.${randomUUID()}.tmp`);
  const ioError = (action: string, name: string, error: unknown): UnavailableError =>
    new UnavailableError(`Could not ${action} ${join(dir, name)}: ${(error as Error).message}`, error);

  return {
    location: dir,
    async writeFile(name, content) {
      const target = pathOf(name);
      const temp = tempOf(name);
      try {
        await ensureDir();
        await writeFile(temp, content, 'utf8');
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw ioError('write', name, error);
      }
    },
    async stage(name) {
      const target = pathOf(name);
      const temp = tempOf(name);
      await ensureDir();
      return stagedFile(createWriteStream(temp, { encoding: 'utf8' }), temp, target, (error) => ioError('write', name, error));
    },
    async readFile(name) {
      try {
        return await readFile(pathOf(name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw ioError('read', name, error);
      }
    },
    async openLines(name) {
      const path = pathOf(name);
      try {
        await access(path);
      } catch {
        return undefined;
      }
      return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    },
    async exists(name) {
      try {
        await access(pathOf(name));
        return true;
      } catch {
        return false;
      }
    },
    async removeFile(name) {
      try {
        await rm(pathOf(name), { force: true });
      } catch (error) {
        throw ioError('remove', name, error);
      }
    },
  };
}

function stagedFile(stream: WriteStream, temp: string, target: string, wrap: (error: unknown) => Error): StagedFile {
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });
  const check = (): void => {
    if (failure !== undefined) throw wrap(failure);
  };
  return {
    async write(text) {
      check();
      if (!stream.write(text)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            stream.off('drain', done);
            stream.off('error', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('error', done);
        });
      }
      check();
    },
    async commit() {
      check();
      await new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(wrap(error)) : resolve()));
      });
      check();
      try {
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw wrap(error);
      }
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}
