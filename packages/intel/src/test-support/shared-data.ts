import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `/work/shared/data/<name>` seen from this file (packages/intel/src/test-support). */
export function sharedData(name: string): string {
  return fileURLToPath(new URL(`../../../../../shared/data/${name}`, import.meta.url));
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
