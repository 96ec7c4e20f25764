import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Where an export writes: a file, or stdout; `write` waits when the stream is full. */
export interface OutputStream {
  write(text: string): Promise<void>;
  /** Flushes and closes a file (stdout stays open). */
  end(): Promise<void>;
}

/** Opens `file` for writing, or stdout when undefined. */
export function openOutput(file: string | undefined): OutputStream {
  const stream = file === undefined ? process.stdout : createWriteStream(file);
  return {
    async write(text) {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async end() {
      if (file === undefined) return;
      (stream as ReturnType<typeof createWriteStream>).end();
      await once(stream, 'finish');
    },
  };
}
