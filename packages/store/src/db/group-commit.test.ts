import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createGroupCommitter, type GroupCommitter } from './group-commit.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import type { Database } from './schema.js';

let dir: string;
let file: string;
let native: BetterSqlite3.Database;
let db: Kysely<Database>;
let commits: number;
let committer: GroupCommitter<Transaction<Database>>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waggle-group-commit-'));
  file = join(dir, 'store.sqlite');
  native = new BetterSqlite3(file);
  native.pragma('journal_mode = WAL');
  native.exec('create table notes (id integer primary key, text text not null unique)');
  commits = 0;
  // Count the COMMITs the dialect runs (it prepares every statement through this handle).
  const prepare = native.prepare.bind(native);
  const counting = new Proxy(native, {
    get(target, key) {
      if (key === 'prepare') {
        return (text: string) => {
          if (/^\s*commit\b/i.test(text)) commits++;
          return prepare(text);
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: counting }) });
  committer = createGroupCommitter(db, (trx) => trx);
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const add = (text: string) => async (trx: Transaction<Database>) => {
  await sql`insert into notes (text) values (${text})`.execute(trx);
  return text.toUpperCase();
};
/** What another connection sees: only committed rows. */
function committedNotes(): string[] {
  const other = new BetterSqlite3(file, { readonly: true });
  try {
    return other.prepare('select text from notes order by id').pluck().all() as string[];
  } finally {
    other.close();
  }
}

it('gives writes that arrive together one COMMIT, each its own answer, in order, and answers only once committed', async () => {
  const seen: string[][] = [];
  const answers = await Promise.all(
    ['a', 'b', 'c'].map((t) =>
      committer.write(add(t)).then((answer) => {
        seen.push(committedNotes());
        return answer;
      }),
    ),
  );
  expect(answers).toEqual(['A', 'B', 'C']);
  expect(commits).toBe(1);
  // Every caller heard back after the COMMIT: another connection already saw all three.
  for (const s of seen) expect(s).toEqual(['a', 'b', 'c']);
});

it('undoes a failing write alone: the others of its batch are committed', async () => {
  const results = await Promise.allSettled([
    committer.write(add('first')),
    committer.write(async (trx) => {
      await sql`insert into notes (text) values ('half written')`.execute(trx);
      await sql`insert into notes (text) values ('first')`.execute(trx); // breaks the unique constraint
      return 'never';
    }),
    committer.write(add('third')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
  expect(committedNotes()).toEqual(['first', 'third']);
  expect(commits).toBe(1);
});

it('undoes a failing first write alone (it runs without a savepoint): the writes behind it are committed', async () => {
  native.exec("insert into notes (text) values ('taken')");
  const results = await Promise.allSettled([
    committer.write(async (trx) => {
      await sql`insert into notes (text) values ('half written')`.execute(trx);
      await sql`insert into notes (text) values ('taken')`.execute(trx);
      return 'never';
    }),
    committer.write(add('second')),
    committer.write(add('third')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  // The write's own error, not a wrapper.
  expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
  expect(committedNotes()).toEqual(['taken', 'second', 'third']);
});

it('fails every write of a batch whose transaction breaks, stores none of them, and goes on with later writes', async () => {
  const results = await Promise.allSettled([
    committer.write(add('kept until the end')),
    committer.write(async (trx) => {
      // Ends the transaction under the batch: its savepoint can no longer be released.
      await sql`rollback`.execute(trx);
      return 'never';
    }),
    committer.write(add('after the break')),
  ]);
  expect(results[0]?.status).toBe('rejected');
  expect(results[1]?.status).toBe('rejected');
  expect(committedNotes()).not.toContain('kept until the end');
  // The third write either ran in the broken batch (and failed) or in the next one (and is stored).
  const third = results[2] as PromiseSettledResult<string>;
  expect(committedNotes().includes('after the break')).toBe(third.status === 'fulfilled');
  await expect(committer.write(add('later'))).resolves.toBe('LATER');
  expect(committedNotes()).toContain('later');
});

it('stops a batch at its size limit and commits the rest in the next one', async () => {
  const small = createGroupCommitter(db, (trx) => trx, { maxWrites: 2 });
  await Promise.all(['1', '2', '3', '4', '5'].map((t) => small.write(add(t))));
  expect(committedNotes()).toEqual(['1', '2', '3', '4', '5']);
  expect(commits).toBe(3);
});

it('opens what the writes work with once per batch', async () => {
  let opened = 0;
  const counted = createGroupCommitter(db, (trx) => {
    opened++;
    return trx;
  });
  await Promise.all(['x', 'y', 'z'].map((t) => counted.write(add(t))));
  expect(opened).toBe(commits);
  expect(opened).toBe(1);
});

it('a write on its own commits at once', async () => {
  await expect(committer.write(add('alone'))).resolves.toBe('ALONE');
  expect(commits).toBe(1);
  expect(committedNotes()).toEqual(['alone']);
});
