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

class InCodeMigrations implements MigrationProvider {
  readonly #engine: SqlEngine;
  constructor(engine: SqlEngine) {
    this.#engine = engine;
  }
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({
      '001-core-schema': coreSchemaMigration(this.#engine),
      '002-read-time-correlation': readTimeCorrelationMigration(),
      '003-sharing': sharingMigration(this.#engine),
      '004-galaxy-clusters': galaxyClustersMigration(this.#engine),
      '005-attribute-data': attributeDataMigration(this.#engine),
      '006-one-ip-range-index': oneIpRangeIndexMigration(),
      '007-shadow-attributes': shadowAttributesMigration(this.#engine),
      '008-event-reports': eventReportsMigration(this.#engine),
      '009-analyst-data': analystDataMigration(this.#engine),
      '010-correlation-exclusions': correlationExclusionsMigration(this.#engine),
      '011-audit-chain': auditChainMigration(),
      '012-peer-chain-heads': peerChainHeadsMigration(this.#engine),
      '013-ip-ranges-for-all': ipRangesForAllMigration(),
    });
  }
}

/** Brings the schema to the newest version; safe to run on every start. */
export async function migrateToLatest(db: Kysely<unknown>, engine: SqlEngine): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(engine), migrationTableName: 'waggle_migrations', migrationLockTableName: 'waggle_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) throw new UnavailableError(`Database migration failed: ${String(error)}`, error);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
