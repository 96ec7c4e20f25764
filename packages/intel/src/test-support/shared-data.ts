import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `<name>` in the shared data folder: `WAGGLE_SHARED_DATA` if set, else `shared/data` beside the
 * repository (`/work/shared/data` on the development machine, also used when the repository was
 * cloned elsewhere, as CI does).
 */
export function sharedData(name: string): string {
  const beside = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
  const root = process.env.WAGGLE_SHARED_DATA ?? (existsSync(beside) ? beside : '/work/shared/data');
  return join(root, name);
}

/** A scratch folder holding `files` (path → text or JSON value); remove it with the returned function. */
export function scratchDir(files: Readonly<Record<string, unknown>>): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'waggle-intel-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
