import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** How many writes one SQLite transaction may carry, and for how long it may collect them. */
export interface GroupCommitOptions {
  /** Most writes per transaction (default 32). */
  readonly maxWrites?: number;
  /** Stop taking more writes once the transaction has run this long, in milliseconds (default 50). */
  readonly maxMilliseconds?: number;
}

/** Runs write transactions, several to a COMMIT when they arrive together; each write gets the batch's `R`. */
export interface GroupCommitter<R> {
  write<T>(work: (handle: R) => Promise<T>): Promise<T>;
}

interface Job<R> {
  readonly work: (handle: R) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** What became of one write inside a batch; told to its caller only once the batch has committed. */
type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const SAVEPOINT = sql.raw('waggle_write');

/** The first write of a batch failed: the transaction (holding only that write) is rolled back, and the write fails with `cause`. */
class FirstWriteFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the first write of the batch failed');
  }
}

/** Lets the event loop run once, so requests already received reach their write and join the batch. */
const oneTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Group commit for SQLite (ADR 0018). SQLite has one writer, and a COMMIT costs
 * the same whether it carries one event or several: every page the transaction
 * touched (table tails, index pages, B-tree interior pages, the FTS5 structure
 * record) is appended to the WAL once per COMMIT. With 10,000 small events per
 * million attributes, COMMITs were a seventh of the ingest time.
 *
 * Writes that arrive while one runs queue here. The running transaction takes
 * them one after another, each after the first inside its own SAVEPOINT: a write
 * that fails is rolled back to its savepoint alone, and the others are unaffected,
 * exactly as with a transaction each. The first needs no savepoint: if it fails,
 * nothing else has run, and the whole transaction is rolled back (savepoints cost
 * two statements each, and FTS5 writes its pending keys out at every one). Before committing, the batch lets the event loop turn
 * once, so requests whose bodies have already arrived can join it. No caller
 * hears of its write before the COMMIT that makes it durable; if that COMMIT (or
 * a rollback to a savepoint) fails, every write of the batch fails with it and
 * none was acknowledged. Ordering is first come, first served, as before.
 * `open` turns the batch's transaction into what each write works with (the
 * store's repositories), once per batch.
 */
export function createGroupCommitter<R>(db: Kysely<Database>, open: (trx: Transaction<Database>) => R, options: GroupCommitOptions = {}): GroupCommitter<R> {
  const maxWrites = options.maxWrites ?? 32;
  const maxMilliseconds = options.maxMilliseconds ?? 50;
  const queue: Job<R>[] = [];
  let draining = false;

  async function runBatch(): Promise<void> {
    const taken: { job: Job<R>; outcome: Outcome }[] = [];
    let current: Job<R> | undefined;
    try {
      await db.transaction().execute(async (trx) => {
        const started = performance.now();
        const handle = open(trx);
        for (;;) {
          const job = queue.shift();
          if (job === undefined) return;
          current = job;
          if (taken.length === 0) {
            // The first write runs without a savepoint: if it fails, the transaction holds nothing
            // else, so it is rolled back whole and the write fails alone (see {@link FirstWriteFailed}).
            try {
              taken.push({ job, outcome: { ok: true, value: await job.work(handle) } });
            } catch (error) {
              throw new FirstWriteFailed(error);
            }
          } else {
            await sql`savepoint ${SAVEPOINT}`.execute(trx);
            let outcome: Outcome;
            try {
              outcome = { ok: true, value: await job.work(handle) };
            } catch (error) {
              outcome = { ok: false, error };
              await sql`rollback to ${SAVEPOINT}`.execute(trx);
            }
            await sql`release ${SAVEPOINT}`.execute(trx);
            taken.push({ job, outcome });
          }
          current = undefined;
          if (taken.length >= maxWrites || performance.now() - started >= maxMilliseconds) return;
          if (queue.length === 0) await oneTurn();
        }
      });
    } catch (error) {
      if (error instanceof FirstWriteFailed && current !== undefined && taken.length === 0) {
        current.reject(error.cause);
        return;
      }
      // Nothing of this batch is durable: writes that had succeeded fail with the batch's error.
      for (const { job, outcome } of taken) job.reject(outcome.ok ? error : outcome.error);
      // The write whose savepoint could not be set or undone fails too; if the transaction could
      // not even begin (busy for longer than the timeout, the file gone), the first waiting write
      // takes the error, and the others try again.
      if (current !== undefined) current.reject(error);
      else if (taken.length === 0) queue.shift()?.reject(error);
      return;
    }
    for (const { job, outcome } of taken) {
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) await runBatch();
    } finally {
      draining = false;
    }
  }

  return {
    write<T>(work: (handle: R) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
