import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { UnavailableError } from '@waggle/errors';
import type { SqlEngine } from '../db/engine.js';
import { coreSchemaMigration } from './001-core-schema.js';
import { readTimeCorrelationMigration } from './002-read-time-correlation.js';
import { sharingMigration } from './003-sharing.js';
import { galaxyClustersMigration } from './004-galaxy-clusters.js';
import { attributeDataMigration } from './005-attribute-data.js';
import { oneIpRangeIndexMigration } from './006-one-ip-range-index.js';
import { shadowAttributesMigration } from './007-shadow-attributes.js';
import { eventReportsMigration } from './008-event-reports.js';
import { correlationExclusionsMigration } from './010-correlation-exclusions.js';
import { auditChainMigration } from './011-audit-chain.js';
import { peerChainHeadsMigration } from './012-peer-chain-heads.js';
import { analystDataMigration } from './009-analyst-data.js';
import { ipRangesForAllMigration } from './013-ip-ranges-for-all.js';
import { intelSourcesMigration } from './014-intel-sources.js';
import { systemSettingsMigration } from './015-system-settings.js';
import { userSettingsMigration } from './016-user-settings.js';
import { eventDelegationsMigration } from './017-event-delegations.js';
import { attributeKeysMigration } from './018-attribute-keys.js';
import { moreAttributeKeysMigration } from './019-more-attribute-keys.js';

/** Every migration, in order; a name never changes once released. */
const MIGRATIONS: ReadonlyArray<readonly [name: string, build: (engine: SqlEngine) => Migration]> = [
  ['001-core-schema', (e) => coreSchemaMigration(e)],
  ['002-read-time-correlation', () => readTimeCorrelationMigration()],
  ['003-sharing', (e) => sharingMigration(e)],
  ['004-galaxy-clusters', (e) => galaxyClustersMigration(e)],
  ['005-attribute-data', (e) => attributeDataMigration(e)],
  ['006-one-ip-range-index', () => oneIpRangeIndexMigration()],
  ['007-shadow-attributes', (e) => shadowAttributesMigration(e)],
  ['008-event-reports', (e) => eventReportsMigration(e)],
  ['009-analyst-data', (e) => analystDataMigration(e)],
  ['010-correlation-exclusions', (e) => correlationExclusionsMigration(e)],
  ['011-audit-chain', () => auditChainMigration()],
  ['012-peer-chain-heads', (e) => peerChainHeadsMigration(e)],
  ['013-ip-ranges-for-all', () => ipRangesForAllMigration()],
  ['014-intel-sources', (e) => intelSourcesMigration(e)],
  ['015-system-settings', (e) => systemSettingsMigration(e)],
  ['016-user-settings', (e) => userSettingsMigration(e)],
  ['017-event-delegations', (e) => eventDelegationsMigration(e)],
  ['018-attribute-keys', (e) => attributeKeysMigration(e)],
  ['019-more-attribute-keys', (e) => moreAttributeKeysMigration(e)],
];

class InCodeMigrations implements MigrationProvider {
  readonly #engine: SqlEngine;
  constructor(engine: SqlEngine) {
    this.#engine = engine;
  }
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(Object.fromEntries(MIGRATIONS.map(([name, build]) => [name, build(this.#engine)])));
  }
}

const MIGRATION_TABLE = 'waggle_migrations';
const LOCK_TABLE = 'waggle_migrations_lock';

/** The schema versions this code knows and those the database has applied (MISP's db schema diagnostic). */
export interface SchemaStatus {
  /** Migrations this code knows, in order: the last one is the version it expects. */
  readonly known: readonly string[];
  /** Migrations the database has applied, in order (may name migrations of newer code). */
  readonly applied: readonly string[];
  /** Whether a migration holds the lock now. */
  readonly locked: boolean;
}

/** Reads which migrations the database has applied, against the ones this code knows. */
export async function schemaStatus<DB>(db: Kysely<DB>): Promise<SchemaStatus> {
  const raw = db as unknown as Kysely<Record<typeof MIGRATION_TABLE, { name: string }> & Record<typeof LOCK_TABLE, { is_locked: number | boolean }>>;
  const applied = await raw.selectFrom(MIGRATION_TABLE).select('name').orderBy('name').execute();
  const lock = await raw.selectFrom(LOCK_TABLE).select('is_locked').executeTakeFirst();
  return {
    known: MIGRATIONS.map(([name]) => name),
    applied: applied.map((r) => r.name),
    locked: lock !== undefined && Number(lock.is_locked) === 1,
  };
}

/** Brings the schema to the newest version; safe to run on every start. */
export async function migrateToLatest(db: Kysely<unknown>, engine: SqlEngine): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(engine), migrationTableName: MIGRATION_TABLE, migrationLockTableName: LOCK_TABLE });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) throw new UnavailableError(`Database migration failed: ${String(error)}`, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
