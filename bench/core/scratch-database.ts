import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The database engines the benchmark drives. */
export type Engine = 'sqlite' | 'postgres';

/** Database size, split as each engine reports it. */
export interface StorageSize {
  readonly totalBytes: number;
  /** SQLite: main file, -wal and -shm; PostgreSQL: pg_database_size. */
  readonly parts: Readonly<Record<string, number>>;
}

/** A fresh, empty database that exists only for one benchmark run. */
export interface ScratchDatabase {
  readonly engine: Engine;
  /** What the store opens: a file path or a postgres:// URL. */
  readonly url: string;
  /** For logs (password redacted). */
  readonly location: string;
  size(): Promise<StorageSize>;
  /** Deletes the database (idempotent). */
  remove(): Promise<void>;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function sqliteDatabase(label: string): ScratchDatabase {
  const dir = mkdtempSync(join(os.tmpdir(), `waggle-bench-${label}-`));
  const file = join(dir, 'waggle.db');
  return {
    engine: 'sqlite',
    url: file,
    location: file,
    async size() {
      const parts = { db: fileSize(file), wal: fileSize(`${file}-wal`), shm: fileSize(`${file}-shm`) };
      return { totalBytes: parts.db + parts.wal + parts.shm, parts };
    },
    async remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
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
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  let removed = false;
  return {
    engine: 'postgres',
    url,
    location: redact(url),
    async size() {
      const r = await admin.query<{ n: string }>('select pg_database_size($1) as n', [name]);
      const bytes = Number(r.rows[0]?.n ?? 0);
      return { totalBytes: bytes, parts: { pg_database_size: bytes } };
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

/** Creates an empty database: a file in a new temporary directory, or `wbench_<random>_<label>` on the PostgreSQL server. */
export async function createScratchDatabase(engine: Engine, options: { postgresUrl: string; label: string }): Promise<ScratchDatabase> {
  return engine === 'sqlite' ? sqliteDatabase(options.label) : postgresDatabase(options.postgresUrl, options.label);
}
