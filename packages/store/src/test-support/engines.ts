/**
 * The engine matrix for the store's contract suites: every suite written with
 * {@link forEachEngine} runs once on SQLite and once on PostgreSQL, each on a
 * database of its own that is created, migrated and dropped by the suite.
 *
 * - SQLite: a `store.sqlite` file in a fresh temporary directory.
 * - PostgreSQL: a fresh database `w_<random>` created through the admin URL
 *   `WAGGLE_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
 *   and dropped afterwards. Set `WAGGLE_SKIP_POSTGRES=1` to run SQLite only.
 *
 * Test files run in parallel (one process each), so nothing here is shared
 * between files; within a file, the tables are emptied before every test.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { connect, type SqlConnection } from '../db/connect.js';
import type { SqlEngine } from '../db/engine.js';
import type { RepoContext } from '../db/rows.js';
import { migrateToLatest } from '../migrations/migrate.js';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated, empty database that belongs to one test file. */
export interface TestDatabase {
  readonly connection: SqlConnection;
  /** The tables the migrations created (migration bookkeeping excluded). */
  readonly tables: readonly string[];
  /** Closes the connection and removes the database. */
  drop(): Promise<void>;
}

/** How a suite is isolated between its tests. */
export interface EngineSuiteOptions {
  /**
   * `'each'` (default) empties every table before each test, so tests never see
   * each other's rows; `'none'` keeps rows across the tests of the suite.
   */
  readonly reset?: 'each' | 'none';
}

/** The engines the contract suites run on here. */
export function testEngines(): SqlEngine[] {
  return process.env['WAGGLE_SKIP_POSTGRES'] === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** The PostgreSQL server the tests create their databases on. */
export function testPostgresUrl(): string {
  return process.env['WAGGLE_TEST_POSTGRES_URL'] ?? DEFAULT_POSTGRES_URL;
}

async function userTables(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  // The attribute key table (SQLite, FTS5, with its shadow tables) follows attributes: the repository writes
  // the keys of new rows, triggers drop those of deleted ones.
  return tables.filter((t) => !t.isView && !t.name.startsWith('waggle_migrations') && !t.name.startsWith('attribute_keys')).map((t) => t.name).sort();
}

async function migrated(connection: SqlConnection, drop: () => Promise<void>): Promise<TestDatabase> {
  try {
    const db = connection.db as unknown as Kysely<unknown>;
    await migrateToLatest(db, connection.engine);
    return { connection, tables: await userTables(db), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function openSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-store-'));
  const connection = connect({ url: join(dir, 'store.sqlite') });
  return migrated(connection, async () => {
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    const where = adminUrl.replace(/\/\/[^@]*@/, '//***@');
    throw new Error(`PostgreSQL is not reachable at ${where}: start it, point WAGGLE_TEST_POSTGRES_URL elsewhere, or set WAGGLE_SKIP_POSTGRES=1`, { cause: error });
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function openPostgres(): Promise<TestDatabase> {
  const adminUrl = testPostgresUrl();
  // Lower-case hex only, so the name needs no quoting rules beyond double quotes.
  const name = `w_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connection = connect({ url: url.toString(), poolSize: 4 });
  return migrated(connection, async () => {
    await connection.close();
    // FORCE ends any connection the pool did not close in time (PostgreSQL 13+).
    await withAdmin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
  });
}

/** Creates and migrates a database of its own on `engine`. */
export function openTestDatabase(engine: SqlEngine): Promise<TestDatabase> {
  return engine === 'postgres' ? openPostgres() : openSqlite();
}

/** Deletes every row of the test database's tables (identities keep counting, as they would in production). */
export async function clearTables(database: TestDatabase): Promise<void> {
  const db = database.connection.db as unknown as Kysely<unknown>;
  const deletes = database.tables.map((t) => sql`delete from ${sql.table(t)}`);
  if (database.connection.engine === 'postgres') {
    // One round trip: without parameters, pg sends this as a simple query, which may
    // hold several statements. DELETE rather than TRUNCATE: on near-empty tables it
    // is far cheaper and takes no exclusive locks.
    await sql.join(deletes, sql`; `).execute(db);
    return;
  }
  for (const statement of deletes) await statement.execute(db);
}

/**
 * Runs a suite once per engine (`describe` named `<name> [<engine>]`). The suite
 * body receives accessors that are valid inside tests and hooks:
 * `getCtx()` for a repository context and `getConnection()` for the raw
 * connection (to open transactions, or to check rows behind a repository's back).
 *
 * @example
 * forEachEngine('organisationRepository', (getCtx) => {
 *   it('inserts', async () => {
 *     const repo = organisationRepository(getCtx());
 *     ...
 *   });
 * });
 */
export function forEachEngine(
  name: string,
  fn: (getCtx: () => RepoContext, getConnection: () => SqlConnection) => void,
  options: EngineSuiteOptions = {},
): void {
  for (const engine of testEngines()) {
    describe(`${name} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      const current = (): TestDatabase => {
        if (database === undefined) throw new Error(`The ${engine} test database is not open (use it inside tests or hooks)`);
        return database;
      };

      beforeAll(async () => {
        database = await openTestDatabase(engine);
      });
      afterAll(async () => {
        await database?.drop();
        database = undefined;
      });
      if ((options.reset ?? 'each') === 'each') {
        beforeEach(async () => {
          await clearTables(current());
        });
      }

      fn(
        () => ({ db: current().connection.db, engine }),
        () => current().connection,
      );
    });
  }
}
