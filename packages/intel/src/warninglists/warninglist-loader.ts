import { join } from 'node:path';
import type { LoadProblem } from '../files/load-problem.js';
import { isFile, listDir, readJsonFile } from '../files/read-json-file.js';
import { parseWarninglist } from './parse-warninglist.js';
import type { Warninglist } from './warninglist.js';

/** Warninglists read from a folder, with whatever could not be read. */
export interface LoadedWarninglists {
  readonly lists: readonly Warninglist[];
  /** Files skipped, and why; each names its file. */
  readonly errors: readonly LoadProblem[];
}

/**
 * Loads every `<dir>/lists/<id>/list.json` (a misp-warninglists checkout); a
 * folder that holds the `<id>/list.json` folders directly works too. Each
 * list's id is its folder name. Two lists with the same name: the second is
 * reported and skipped (MISP keys lists by name).
 */
export function loadWarninglistsFromDir(dir: string): LoadedWarninglists {
  const errors: LoadProblem[] = [];
  const lists: Warninglist[] = [];
  const names = new Set<string>();
  const nested = join(dir, 'lists');
  const root = listDir(nested, 'dirs').message === undefined ? nested : dir;
  const listing = listDir(root, 'dirs');
  if (listing.message !== undefined) errors.push({ file: root, message: listing.message });
  for (const id of listing.names) {
    const file = join(root, id, 'list.json');
    if (!isFile(file)) continue;
    const read = readJsonFile(file);
    if (!read.ok) {
      errors.push({ file, message: read.message });
      continue;
    }
    const parsed = parseWarninglist(read.json, id);
    if (!parsed.ok) errors.push({ file, message: parsed.problems.join('; ') });
    else if (names.has(parsed.warninglist.name)) errors.push({ file, message: `another list is already named "${parsed.warninglist.name}"; file ignored` });
    else {
      names.add(parsed.warninglist.name);
      lists.push(parsed.warninglist);
    }
  }
  return { lists, errors };
}
