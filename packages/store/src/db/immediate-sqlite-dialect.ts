import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Write transactions start with BEGIN IMMEDIATE. A deferred BEGIN takes the
 * write lock only at the first write; if another connection (the WAL
 * checkpointer, or a `waggle` command on the same file) holds it then, SQLite
 * answers SQLITE_BUSY at once instead of waiting, to avoid a deadlock.
 * Taking the lock up front lets `busy_timeout` wait as intended.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Kysely's SQLite dialect with {@link ImmediateSqliteDriver}. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
