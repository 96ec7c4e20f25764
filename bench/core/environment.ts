import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { createMemoryBus } from '@waggle/bus';
import { DEFAULT_CORE_CONFIG, bootstrapAdmin, ensureDefaults, type CoreDeps } from '@waggle/core';
import { builtinTemplatesDir, createTemplateRegistry, loadTemplatesFromDir } from '@waggle/misp';
import { createApp, createServices } from '@waggle/server';
import { openSqlStore } from '@waggle/store';
import { createApiClient, type ApiClient } from '../lib/http.js';

/** The database engines the benchmark drives. */
export type Engine = 'sqlite' | 'postgres';

/** Database size, split as each engine reports it. */
export interface StorageSize {
  readonly totalBytes: number;
  /** SQLite: main file, -wal and -shm; PostgreSQL: pg_database_size. */
  readonly parts: Readonly<Record<string, number>>;
}

/** A running waggle server on a fresh database, and how to measure and remove it. */
export interface BenchServer {
  readonly engine: Engine;
  readonly client: ApiClient;
  /** Where the data lives (file path, or database name). */
  readonly location: string;
  /** Database version string. */
  databaseVersion(): Promise<string>;
  size(): Promise<StorageSize>;
  count(table: string): Promise<number>;
  /** Stops the server and deletes the database (idempotent). */
  destroy(): Promise<void>;
}

/** Where to create PostgreSQL databases. */
export interface EnvironmentOptions {
  readonly postgresUrl: string;
  /** Label in the database / directory name (e.g. "corr", "nocorr"). */
  readonly label: string;
}

// 40 characters from MISP's key alphabet; the server exists only for the run.
const AUTH_KEY = 'benchBENCHbench0123456789benchBENCHbench';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

interface Database {
  readonly url: string;
  readonly location: string;
  size(): Promise<StorageSize>;
  version(): Promise<string>;
  remove(): Promise<void>;
}

function sqliteDatabase(label: string): Database {
  const dir = mkdtempSync(join(os.tmpdir(), `waggle-bench-${label}-`));
  const file = join(dir, 'waggle.db');
  const fileSize = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return {
    url: file,
    location: file,
    async size() {
      const parts = { db: fileSize(file), wal: fileSize(`${file}-wal`), shm: fileSize(`${file}-shm`) };
      return { totalBytes: parts.db + parts.wal + parts.shm, parts };
    },
    async version() {
      return 'SQLite';
    },
    async remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresDatabase(adminUrl: string, label: string): Promise<Database> {
  const name = `wbench_${randomBytes(4).toString('hex')}_${label}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot connect to PostgreSQL at ${redact(adminUrl)}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end();
    throw new Error(`cannot create database ${name}: ${(error as Error).message}`, { cause: error });
  }
  let removed = false;
  return {
    url: withDatabase(adminUrl, name),
    location: `${redact(withDatabase(adminUrl, name))}`,
    async size() {
      const r = await admin.query<{ n: string }>('select pg_database_size($1) as n', [name]);
      const bytes = Number(r.rows[0]?.n ?? 0);
      return { totalBytes: bytes, parts: { pg_database_size: bytes } };
    },
    async version() {
      const r = await admin.query<{ v: string }>("select current_setting('server_version') as v");
      return `PostgreSQL ${r.rows[0]?.v ?? '?'}`;
    },
    async remove() {
      if (removed) return;
      removed = true;
      try {
        // pg's Pool.end() resolves before its connections have closed; dropping
        // the database under them makes the pool emit an unhandled 'error'.
        for (let i = 0; i < 50; i++) {
          const r = await admin.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
          if (Number(r.rows[0]?.n ?? 0) === 0) break;
          await new Promise((done) => setTimeout(done, 100));
        }
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Starts waggle (store, in-memory bus, HTTP app on 127.0.0.1) on a fresh, empty database. */
export async function startBenchServer(engine: Engine, options: EnvironmentOptions): Promise<BenchServer> {
  const database = engine === 'sqlite' ? sqliteDatabase(options.label) : await postgresDatabase(options.postgresUrl, options.label);
  let store: Awaited<ReturnType<typeof openSqlStore>> | undefined;
  let app: FastifyInstance | undefined;
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    const errors: unknown[] = [];
    for (const step of [() => app?.close(), () => store?.close(), () => database.remove()]) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new Error(`cleanup of ${database.location} failed: ${errors.map(String).join('; ')}`);
  };
  try {
    store = await openSqlStore({ url: database.url });
    const bus = createMemoryBus({ onError: (e: unknown) => process.stderr.write(`bus subscriber failed: ${String(e)}\n`) });
    const templates = createTemplateRegistry(loadTemplatesFromDir(builtinTemplatesDir()).list());
    const deps: CoreDeps = {
      store,
      bus,
      clock: { now: () => Math.floor(Date.now() / 1000) },
      ids: { uuid: () => randomUUID() },
      templates,
      config: { ...DEFAULT_CORE_CONFIG },
    };
    await ensureDefaults(deps);
    await bootstrapAdmin(deps, { orgName: 'BenchOrg', email: 'admin@bench.test', authKey: AUTH_KEY });
    app = createApp({ services: createServices(deps), version: 'bench' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const db = store.connection.db;
    return {
      engine,
      client: createApiClient(`http://127.0.0.1:${String(port)}`, AUTH_KEY),
      location: database.location,
      async databaseVersion() {
        if (engine === 'postgres') return database.version();
        const r = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
        return `SQLite ${r.rows[0]?.v ?? '?'}`;
      },
      size: () => database.size(),
      async count(table) {
        const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        return Number(r.rows[0]?.n ?? Number.NaN);
      },
      destroy,
    };
  } catch (error) {
    await destroy().catch(() => undefined);
    throw error;
  }
}
