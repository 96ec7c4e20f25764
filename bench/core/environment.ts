import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { createMemoryBus } from '@waggle/bus';
import { DEFAULT_CORE_CONFIG, bootstrapAdmin, createLiveSettings, ensureDefaults, type CoreDeps } from '@waggle/core';
import { builtinTemplatesDir, createTemplateRegistry, loadTemplatesFromDir } from '@waggle/misp';
import { createApp, createServices } from '@waggle/server';
import { openSqlStore } from '@waggle/store';
import { createApiClient, type ApiClient } from '../lib/http.js';
import { startServerProcess } from './server-process.js';
import { createScratchDatabase, type Engine, type StorageSize } from './scratch-database.js';

export type { Engine, StorageSize } from './scratch-database.js';

// 40 characters from MISP's key alphabet; the server exists only for the run.
const AUTH_KEY = 'benchBENCHbench0123456789benchBENCHbench';

/** waggle listening on 127.0.0.1 over an existing database, wired as `waggle serve` wires it. */
export interface RunningServer {
  readonly client: ApiClient;
  /** The admin's API key (for requests outside the client). */
  readonly authKey: string;
  /** The server's process when it runs in a child process (undefined: this process). */
  readonly pid?: number;
  databaseVersion(): Promise<string>;
  count(table: string): Promise<number>;
  /** Refreshes the query planner's statistics (ANALYZE). */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/** A running waggle server on a fresh database, and how to measure and remove it. */
export interface BenchServer extends RunningServer {
  readonly engine: Engine;
  readonly url: string;
  readonly location: string;
  size(): Promise<StorageSize>;
  /** Stops the server and deletes the database (idempotent). */
  destroy(): Promise<void>;
}

/** Opens the store (migrating it), creates the defaults and the admin if missing, and listens on a free port. */
export async function startServer(url: string): Promise<RunningServer> {
  // BENCH_SQLITE_CACHE_MIB: the page cache the run uses (WAGGLE_SQLITE_CACHE_MB for `waggle up`).
  const cache = Number(process.env.BENCH_SQLITE_CACHE_MIB ?? '32');
  const store = await openSqlStore({ url, sqliteCacheMiB: cache });
  let app: FastifyInstance | undefined;
  const close = async (): Promise<void> => {
    try {
      await app?.close();
    } finally {
      await store.close();
    }
  };
  try {
    const deps: CoreDeps = {
      store,
      bus: createMemoryBus({ historyLimit: 100, onError: (e: unknown) => process.stderr.write(`bus subscriber failed: ${String(e)}\n`) }),
      clock: { now: () => Math.floor(Date.now() / 1000) },
      ids: { uuid: () => randomUUID() },
      templates: createTemplateRegistry(loadTemplatesFromDir(builtinTemplatesDir()).list()),
      config: { ...DEFAULT_CORE_CONFIG },
      settings: createLiveSettings(store, DEFAULT_CORE_CONFIG),
    };
    await ensureDefaults(deps);
    await bootstrapAdmin(deps, { orgName: 'BenchOrg', email: 'admin@bench.test', authKey: AUTH_KEY });
    // With the event stream (SSE), for benchmarks whose components follow it (honeypot deployer).
    app = createApp({ services: createServices(deps, { db: store.connection.db }), version: 'bench', stream: deps });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const { port } = app.server.address() as { port: number };
  const db = store.connection.db;
  return {
    client: createApiClient(`http://127.0.0.1:${String(port)}`, AUTH_KEY),
    authKey: AUTH_KEY,
    async databaseVersion() {
      const r = store.engine === 'postgres'
        ? await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)
        : await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
      return `${store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} ${r.rows[0]?.v ?? '?'}`;
    },
    async count(table) {
      const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      return Number(r.rows[0]?.n ?? Number.NaN);
    },
    async analyze() {
      await sql`analyze`.execute(db);
    },
    close,
  };
}

/**
 * waggle in a child process on `url` (migrated and bootstrapped first by a
 * connection of this process, which then answers counts and ANALYZE).
 */
async function startChildServer(url: string): Promise<RunningServer> {
  const local = await startServer(url);
  try {
    return await startServerProcess(url, local, local.authKey);
  } catch (error) {
    await local.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Creates a scratch database and starts waggle on it: in a process of its own
 * (default), or in this process with `inProcess` (server and HTTP clients then
 * share one thread, as in runs 1–6 of docs/benchmarks.md).
 */
export async function startBenchServer(engine: Engine, options: { postgresUrl: string; label: string; inProcess?: boolean }): Promise<BenchServer> {
  const database = await createScratchDatabase(engine, options);
  let server: RunningServer;
  try {
    server = options.inProcess === true ? await startServer(database.url) : await startChildServer(database.url);
  } catch (error) {
    await database.remove().catch(() => undefined);
    throw error;
  }
  let destroyed = false;
  return {
    ...server,
    engine,
    url: database.url,
    location: database.location,
    size: () => database.size(),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        await server.close();
      } finally {
        await database.remove();
      }
    },
  };
}
