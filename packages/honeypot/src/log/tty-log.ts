import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a closed tty log produced, for `cowrie.log.closed`. */
export interface TtyLogResult {
  /** Path of the stored recording, empty when no folder is configured. */
  ttylog: string;
  /** Bytes of terminal traffic recorded (input and output). */
  size: number;
  /** SHA-256 of the recording. */
  shasum: string;
}

/** Records an interactive session as an asciicast v2 file (playable with `asciinema play`). */
export interface TtyLog {
  input(data: string): void;
  output(data: string): void;
  close(): TtyLogResult;
}

/**
 * Starts a recording. Cowrie keeps its own binary ttylog format; asciicast v2 is a documented,
 * widely playable format, stored like Cowrie's under `<dir>/<sha256>`. At most `maxBytes` of
 * traffic are kept so a chatty session cannot fill memory.
 */
export function createTtyLog(dir: string | undefined, start: Date, now: () => Date, size: { width: number; height: number }, maxBytes = 262_144): TtyLog {
  const lines = [JSON.stringify({ version: 2, width: size.width, height: size.height, timestamp: Math.floor(start.getTime() / 1000) })];
  let recorded = 0;
  const add = (kind: 'i' | 'o', data: string): void => {
    if (data.length === 0 || recorded >= maxBytes) return;
    const kept = data.slice(0, maxBytes - recorded);
    recorded += kept.length;
    lines.push(JSON.stringify([(now().getTime() - start.getTime()) / 1000, kind, kept]));
  };
  return {
    input: (data) => add('i', data),
    output: (data) => add('o', data),
    close() {
      const body = `${lines.join('\n')}\n`;
      const shasum = createHash('sha256').update(body).digest('hex');
      let ttylog = '';
      if (dir !== undefined) {
        const folder = join(dir, 'tty');
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        ttylog = join(folder, shasum);
        if (!existsSync(ttylog)) writeFileSync(ttylog, body, { mode: 0o400 });
      }
      return { ttylog, size: recorded, shasum };
    },
  };
}
