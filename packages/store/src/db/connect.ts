import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { InputError } from '@waggle/errors';
import { BooleanPlugin } from './boolean-plugin.js';
import type { SqlEngine } from './engine.js';
import type { Database } from './schema.js';
import { nativeInserter, type NativeInserter } from './native-insert.js';
import { cachingDatabase } from './statement-cache.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';
import { registerKeyFunctions } from './attribute-keys.js';
import { createUuidGuard, type UuidGuard } from './uuid-guard.js';
import { startKeyCompaction, type KeyCompactor } from './key-compactor.js';

/** An open database: the Kysely handle, the engine behind it and how to close it. */
export interface SqlConnection {
  readonly db: Kysely<Database>;
  readonly engine: SqlEngine;
  /** SQLite only: direct bulk inserts for use inside write transactions. */
  readonly native?: NativeInserter;
  /** SQLite only: keeps attribute UUIDs unique (there is no unique index; see uuid-guard.ts). */
  readonly uuidGuard?: UuidGuard;
  close(): Promise<void>;
}

/** Options for {@link connect}: a `postgres://` URL, or a SQLite file path (`:memory:` for tests). */
export interface ConnectOptions {
  readonly url: string;
  /** PostgreSQL pool size. */
  readonly poolSize?: number;
  /** SQLite page cache in MiB (default 64): more keeps more of the indexes in memory as the store grows. */
  readonly sqliteCacheMiB?: number;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function openSqlite(file: string, cacheMiB: number): SqlConnection {
  const native = new BetterSqlite3(file);
  native.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can
  // drop the last transactions, which is the usual trade-off for an embedded store.
  native.pragma('synchronous = NORMAL');
  native.pragma('busy_timeout = 10000');
  native.pragma(`cache_size = -${String(Math.round(cacheMiB * 1024))}`);
  native.pragma('temp_store = MEMORY');
  // ANALYZE samples at most this many index rows, so refreshing statistics stays cheap on large stores.
  native.pragma('analysis_limit = 2000');
  // The triggers of attribute_keys call this function: without it no attribute can be written.
  registerKeyFunctions(native);
  let checkpointer: WalCheckpointer | undefined;
  let compactor: KeyCompactor | undefined;
  if (file !== ':memory:' && file !== '') {
    // Checkpoints run on another thread (see wal-checkpointer.ts). The writer's own automatic
    // checkpoint at 16k pages (64 MiB) finds most frames already copied, so it is cheap, and lets
    // the log start over; the background thread alone never catches up with continuous writes.
    native.pragma('wal_autocheckpoint = 16384');
    // When the log starts over, its file is cut back to this size (it otherwise keeps its peak size).
    native.pragma('journal_size_limit = 67108864');
    checkpointer = startWalCheckpointer(file, { onError: (m) => process.emitWarning(`SQLite background checkpoint: ${m}`) });
    compactor = startKeyCompaction(native, { onError: (m) => process.emitWarning(`SQLite attribute key compaction: ${m}`) });
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingDatabase(native) }), plugins: [new BooleanPlugin()] });
  return {
    db,
    engine: 'sqlite',
    native: nativeInserter(native),
    uuidGuard: createUuidGuard(native),
    async close() {
      compactor?.stop();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

function openPostgres(url: string, poolSize: number): SqlConnection {
  // Counts and timestamps are bigint columns; they fit in a double, so read them as numbers.
  pg.types.setTypeParser(PG_INT8, (v) => Number.parseInt(v, 10));
  pg.types.setTypeParser(PG_NUMERIC, (v) => Number.parseFloat(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection closed by the server (restart, admin command) must not crash the process;
  // the pool replaces it on the next query, and query errors still reach their callers.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new BooleanPlugin()] });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** Opens the store's database; `postgres://` and `postgresql://` URLs select PostgreSQL. */
export function connect(options: ConnectOptions): SqlConnection {
  const { url } = options;
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, options.poolSize ?? 10);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new InputError(`Unsupported database URL scheme in "${url.replace(/\/\/[^@]*@/, '//***@')}"; use postgres://… or a SQLite file path`, { field: 'database' });
  }
  return openSqlite(url.replace(/^sqlite:/i, ''), options.sqliteCacheMiB ?? 32);
}
