import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startKeyCompaction, type KeyCompactor } from './key-compactor.js';

let dir: string;
let db: BetterSqlite3.Database;
let compactor: KeyCompactor | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waggle-compact-'));
  db = new BetterSqlite3(join(dir, 'keys.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec("create virtual table attribute_keys using fts5(k, content='', contentless_delete=1, detail=none, tokenize='ascii')");
  db.exec("insert into attribute_keys (attribute_keys, rank) values ('automerge', 8)");
  db.exec("insert into attribute_keys (attribute_keys, rank) values ('crisismerge', 64)");
});
afterEach(() => {
  compactor?.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const segments = (): number => Number(db.prepare('select count(distinct segid) from attribute_keys_idx').pluck().get());
const holders = (token: string): number[] => db.prepare('select rowid from attribute_keys where attribute_keys match ? order by rowid').pluck().all(token) as number[];
const waitFor = async (check: () => boolean, ms: number): Promise<boolean> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (check()) return true;
  return check();
};

function writeBatches(batches: number, from = 0): void {
  const insert = db.prepare('insert into attribute_keys (rowid, k) values (?, ?)');
  for (let b = 0; b < batches; b++) {
    db.transaction(() => {
      for (let i = 0; i < 50; i++) {
        const id = from + b * 50 + i + 1;
        insert.run(id, `u${id.toString(16).padStart(32, '0')} v${(id % 7).toString(16).padStart(16, '0')}`);
      }
    })();
  }
}

it('merges the key segments down to one once the connection is idle, keeping every key', async () => {
  writeBatches(40);
  const before = segments();
  expect(before).toBeGreaterThan(4);
  const sevens = holders(`v${'3'.padStart(16, '0')}`);
  expect(sevens).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1).filter((id) => id % 7 === 3));
  compactor = startKeyCompaction(db, { intervalMs: 5, idleMs: 30, pagesPerStep: 16 });
  expect(await waitFor(() => segments() === 1, 5000)).toBe(true);
  // Then it stops: no more merge steps (each would be a write) while nothing else is written.
  const total = () => Number(db.prepare('select total_changes()').pluck().get());
  await new Promise((r) => setTimeout(r, 100));
  const settled = total();
  await new Promise((r) => setTimeout(r, 200));
  expect(total()).toBe(settled);
  expect(holders(`v${'3'.padStart(16, '0')}`)).toEqual(sevens);
  expect(holders(`u${(1234).toString(16).padStart(32, '0')}`)).toEqual([1234]);
});

it('leaves the table alone while writes keep coming, and inside an open transaction', async () => {
  compactor = startKeyCompaction(db, { intervalMs: 5, idleMs: 200, pagesPerStep: 16 });
  for (let round = 0; round < 10; round++) {
    writeBatches(2, round * 100);
    await new Promise((r) => setTimeout(r, 20));
  }
  const busy = segments();
  expect(busy).toBeGreaterThan(4);
  db.exec('begin');
  await new Promise((r) => setTimeout(r, 400));
  expect(segments()).toBe(busy);
  db.exec('commit');
  expect(await waitFor(() => segments() === 1, 5000)).toBe(true);
});

it('does nothing before the key table exists, then compacts it', async () => {
  db.exec('drop table attribute_keys');
  compactor = startKeyCompaction(db, { intervalMs: 5, idleMs: 10, pagesPerStep: 16 });
  await new Promise((r) => setTimeout(r, 50));
  db.exec("create virtual table attribute_keys using fts5(k, content='', contentless_delete=1, detail=none, tokenize='ascii')");
  writeBatches(20);
  expect(segments()).toBeGreaterThan(1);
  expect(await waitFor(() => segments() === 1, 5000)).toBe(true);
});
