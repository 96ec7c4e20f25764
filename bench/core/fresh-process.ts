import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ExportResult } from './queries.js';

const CHILD = fileURLToPath(new URL('./export-child.ts', import.meta.url));

/** Runs the CSV export in a new Node process (same flags as this one) against `url`. */
export function csvExportInFreshProcess(url: string, expectedRows: number, timeoutMs: number): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, url, String(expectedRows)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`export process ${signal !== null ? `killed by ${signal} (timeout?)` : `exited with ${String(code)}`}: ${err.trim().slice(0, 500)}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as ExportResult);
      } catch {
        reject(new Error(`export process printed no result: ${out.slice(0, 200)} ${err.slice(0, 300)}`));
      }
    });
  });
}
