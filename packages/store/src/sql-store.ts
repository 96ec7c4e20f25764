import { sql, type Kysely } from 'kysely';
import { ConflictError, UnavailableError, isWaggleError } from '@waggle/errors';
import type { Repositories, Store } from '@waggle/core';
import { connect, type ConnectOptions, type SqlConnection } from './db/connect.js';
import { createGroupCommitter } from './db/group-commit.js';
import type { RepoContext } from './db/rows.js';
import type { Database } from './db/schema.js';
import { migrateToLatest } from './migrations/migrate.js';
import { attributeRepository } from './repos/attributes.js';
import { attributeDataRepository } from './repos/attribute-data.js';
import { auditRepository } from './repos/audit.js';
import { correlationRepository } from './repos/correlations.js';
import { eventRepository } from './repos/events.js';
import { organisationRepository } from './repos/organisations.js';
import { sharingGroupRepository } from './repos/sharing-groups.js';
import { sightingRepository } from './repos/sightings.js';
import { shadowAttributeRepository } from './repos/shadow-attributes.js';
import { eventDelegationRepository } from './repos/event-delegations.js';
import { eventReportRepository } from './repos/event-reports.js';
import { correlationExclusionRepository } from './repos/correlation-exclusions.js';
import { systemSettingRepository } from './repos/system-settings.js';
import { userSettingRepository } from './repos/user-settings.js';
import { analystDataRepository } from './repos/analyst-data.js';
import { galaxyClusterRepository } from './repos/galaxy-clusters.js';
import { tagRepository } from './repos/tags.js';
import { reputationRepository } from './repos/reputation.js';
import { userRepository } from './repos/users.js';

/** The repository groups that make up {@link Repositories}, in the order their members are merged. */
const REPOSITORY_GROUPS = [
  organisationRepository,
  userRepository,
  sharingGroupRepository,
  eventRepository,
  attributeRepository,
  attributeDataRepository,
  tagRepository,
  sightingRepository,
  shadowAttributeRepository,
  eventDelegationRepository,
  eventReportRepository,
  correlationExclusionRepository,
  systemSettingRepository,
  userSettingRepository,
  analystDataRepository,
  galaxyClusterRepository,
  correlationRepository,
  reputationRepository,
  auditRepository,
] as const;

/**
 * Every repository bound to one handle (the pool, or one transaction). Merged with
 * Object.assign, not an object literal of spreads: V8 builds a literal of twenty spreads
 * (136 members) through a chain of shape transitions, and it took 770 µs against 8 µs
 * (measured), once per write batch.
 */
export function createRepositories(ctx: RepoContext): Repositories {
  const out = {};
  for (const group of REPOSITORY_GROUPS) Object.assign(out, group(ctx));
  return out as Repositories;
}

/** Translates driver errors into waggle errors; the rest of the code never sees SQL error codes. */
export function translateDriverError(error: unknown): unknown {
  if (isWaggleError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new ConflictError(`Duplicate: ${message}`);
  }
  if (code === '40P01' || code === '40001' || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new ConflictError(`Concurrent change, try again: ${message}`, {}, true);
  }
  if (code === 'ECONNREFUSED' || code === '57P01' || code === '53300' || code === 'ENOTFOUND') {
    return new UnavailableError(`Database unavailable: ${message}`, error);
  }
  return error;
}

/**
 * Gives the query planners current statistics. Without them both engines pick
 * poor plans for the correlation and search joins (measured in the benchmark).
 */
export async function refreshStatistics(connection: SqlConnection): Promise<void> {
  if (connection.engine === 'sqlite') await sql`pragma optimize = 0x10002`.execute(connection.db);
  else await sql`analyze`.execute(connection.db);
}

/** Opens (and migrates) a SQL store. */
export async function openSqlStore(options: ConnectOptions): Promise<Store & { readonly connection: SqlConnection }> {
  const connection = connect(options);
  try {
    await migrateToLatest(connection.db as unknown as Kysely<unknown>, connection.engine);
  } catch (error) {
    await connection.close();
    throw translateDriverError(error);
  }
  const { db, engine } = connection;
  await refreshStatistics(connection);
  const pooled = createRepositories({ db, engine });
  // SQLite: one writer, so writes that arrive together share a COMMIT (db/group-commit.ts, ADR 0018).
  const { native, uuidGuard } = connection;
  const transactionRepositories = (trx: Kysely<Database>): Repositories => createRepositories(native === undefined || uuidGuard === undefined ? { db: trx, engine } : { db: trx, engine, native, uuidGuard });
  // The writes of one batch share one transaction, and so one set of repositories.
  const committer = engine === 'sqlite' ? createGroupCommitter(db, transactionRepositories) : undefined;
  // Statistics go stale as the store grows; refresh them after a batch of writes or a minute of writing.
  let writesSinceRefresh = 0;
  let lastRefresh = Date.now();
  async function maybeRefresh(): Promise<void> {
    writesSinceRefresh++;
    if (writesSinceRefresh < 500 && Date.now() - lastRefresh < 60_000) return;
    writesSinceRefresh = 0;
    lastRefresh = Date.now();
    await refreshStatistics(connection).catch(() => undefined);
  }
  return {
    engine,
    connection,
    async read(fn) {
      try {
        return await fn(pooled);
      } catch (error) {
        throw translateDriverError(error);
      }
    },
    async write(fn) {
      try {
        const result = await (committer === undefined ? db.transaction().execute((trx) => fn(transactionRepositories(trx))) : committer.write(fn));
        await maybeRefresh();
        return result;
      } catch (error) {
        throw translateDriverError(error);
      }
    },
    close: () => connection.close(),
  };
}
