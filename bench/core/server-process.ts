import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '../lib/http.js';
import type { RunningServer } from './environment.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/**
 * Starts waggle on `url` in a new Node process (same flags as this one). The
 * returned server's client talks to it over HTTP; `database` (a connection of
 * this process to the same database) answers counts, versions and ANALYZE.
 */
export async function startServerProcess(url: string, database: Omit<RunningServer, 'client' | 'authKey'>, authKey: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [...process.execArgv, CHILD, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`server process printed ${line.slice(0, 200)}`));
      }
    });
    void exited.then((code) => reject(new Error(`server process exited with ${String(code)} before listening`)));
  });
  return {
    ...database,
    client: createApiClient(`http://127.0.0.1:${String(port)}`, authKey),
    authKey,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    async close() {
      try {
        child.stdin.end();
        const code = await exited;
        if (code !== 0) throw new Error(`server process exited with ${String(code)}`);
      } finally {
        await database.close();
      }
    },
  };
}
