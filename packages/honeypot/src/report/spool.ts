import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, fsyncSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Indicator } from './batch-to-event.js';
import type { MispEventPayload } from './misp-payload.js';

/** A batch waiting to be sent, with what has already been acknowledged. */
export interface SpooledBatch {
  event: MispEventPayload;
  indicators: Indicator[];
  sensor: string;
  /** ISO time the sightings are dated with. */
  seen: string;
  /** The event part has been stored by the server. */
  eventDone: boolean;
  /** Indicator values whose sightings were stored. */
  sightingsDone: string[];
  attempts: number;
}

/** A folder of pending batches; each file is written atomically (temp file, fsync, rename). */
export interface Spool {
  readonly dir: string;
  /** Adds a batch; returns its file name. */
  put(batch: SpooledBatch): string;
  /** Pending file names, oldest first. */
  list(): string[];
  read(name: string): SpooledBatch;
  /** Replaces a batch atomically (progress after a partial send). */
  update(name: string, batch: SpooledBatch): void;
  remove(name: string): void;
}

function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Opens (creating) the spool folder; `now` and a counter name files so they sort by age. */
export function createSpool(dir: string, now: () => Date): Spool {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let seq = 0;
  return {
    dir,
    put(batch) {
      seq = (seq + 1) % 1_000_000;
      const name = `${String(now().getTime()).padStart(15, '0')}-${String(seq).padStart(6, '0')}-${batch.event.uuid}.json`;
      writeAtomic(join(dir, name), JSON.stringify(batch));
      return name;
    },
    list: () => readdirSync(dir).filter((f) => f.endsWith('.json')).sort(),
    read: (name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as SpooledBatch,
    update: (name, batch) => writeAtomic(join(dir, name), JSON.stringify(batch)),
    remove: (name) => rmSync(join(dir, name), { force: true }),
  };
}
