export { openSqlStore, createRepositories, translateDriverError, refreshStatistics } from './sql-store.js';
export { connect } from './db/connect.js';
export type { ConnectOptions, SqlConnection } from './db/connect.js';
export type { SqlEngine } from './db/engine.js';
export type { Database } from './db/schema.js';
export { migrateToLatest } from './migrations/migrate.js';
