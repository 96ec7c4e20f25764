// The one place of the package that reads files; everything else is pure.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describeError } from './load-problem.js';

/** A parsed JSON document, or why the file could not be read or parsed. */
export type JsonFileResult = { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly message: string };

/** Reads and parses one JSON file; never throws (a bad file must not hide the others). */
export function readJsonFile(file: string): JsonFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot read file: ${describeError(error)}` };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `invalid JSON: ${describeError(error)}` };
  }
}

/** Names in a directory, sorted so loading order (and "first wins" rules) is stable; a message if unreadable. */
export function listDir(dir: string, want: 'dirs' | 'json'): { readonly names: readonly string[]; readonly message?: string } {
  try {
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => (want === 'dirs' ? entry.isDirectory() || entry.isSymbolicLink() : entry.isFile() && entry.name.endsWith('.json')))
      .map((entry) => entry.name)
      .sort();
    return { names };
  } catch (error) {
    return { names: [], message: `cannot read directory: ${describeError(error)}` };
  }
}

/** Whether `path` is an existing regular file (following symlinks). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
