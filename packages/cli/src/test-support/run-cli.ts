import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../main.js';

/** What a CLI run printed and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the `waggle` command in this process (fast: no child process, no
 * compilation), capturing stdout and stderr. For commands that read stdin or
 * must be a real process, tests spawn the CLI instead.
 */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => err.push(String(c)) > 0);
  process.exitCode = 0;
  try {
    return { code: await main(['node', 'waggle', ...args]), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = 0;
  }
}

/** A data folder with its own SQLite store for a CLI test, and {@link runCli} pointed at both. */
export interface CliStore {
  readonly home: string;
  readonly database: string;
  run(...args: string[]): Promise<CliRun>;
  remove(): void;
}

/** Makes a fresh data folder (`<prefix>…` in the temporary directory) with a store file inside it. */
export function cliStore(prefix: string): CliStore {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const database = join(home, 'store.sqlite');
  return {
    home,
    database,
    run: (...args) => runCli(...args, '--data', home, '--database', database),
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
