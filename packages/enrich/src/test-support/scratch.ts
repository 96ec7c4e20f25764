import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A scratch folder holding `files` (path → text or JSON); remove it when done. */
export function scratchDir(files: Readonly<Record<string, unknown>> = {}): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-enrich-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `<name>` in the shared data folder (`WAGGLE_SHARED_DATA`, else `shared/data` beside the repository). */
export function sharedData(name: string): string {
  const beside = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
  const root = process.env.WAGGLE_SHARED_DATA ?? (existsSync(beside) ? beside : '/work/shared/data');
  return join(root, name);
}

/** Copies `<from>/<path>` for each path into `<to>/<path>`. */
export function copyInto(from: string, to: string, paths: readonly string[]): void {
  for (const p of paths) cpSync(join(from, p), join(to, p), { recursive: true });
}

/**
 * A real row of a "num" CSV at about `fraction` of the file, as
 * [start, end, rest]: the first one from there that overlaps neither
 * neighbour (the published files hold a few nested rows), so a test follows
 * the installed database version.
 */
export function rowAt(file: string, fraction: number): string[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.slice(text.indexOf('\n', Math.floor(text.length * fraction)) + 1).split('\n', 2000);
  const bounds = lines.map((l) => l.split(',').slice(0, 2).map((x) => BigInt(x === '' ? '0' : x)));
  for (let i = 1; i + 1 < lines.length; i++) {
    const [s, e] = bounds[i] as bigint[];
    if ((bounds[i - 1] as bigint[])[1] as bigint < (s as bigint) && (e as bigint) < ((bounds[i + 1] as bigint[])[0] as bigint)) {
      const parts = (lines[i] as string).split(',');
      return [parts[0] as string, parts[1] as string, parts.slice(2).join(',')];
    }
  }
  throw new Error(`no isolated row in ${file}`);
}
