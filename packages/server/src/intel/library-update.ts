import { existsSync, statSync } from 'node:fs';
import type { IntelDataSet, IntelDocuments, IntelKind } from '@waggle/store';
import { readDataFolder, type DataFile, type DataProblem } from './data-sources.js';

/** What reading a data set's sources gave: the newest file per document, and what could not be read. */
export interface DataSourceRead {
  readonly files: readonly DataFile[];
  readonly problems: readonly DataProblem[];
  /** Recorded folders that no longer exist (or are not on this machine). */
  readonly missing: readonly string[];
}

/** MISP compares library versions as numbers; non-numeric versions are compared as text. */
export function isNewerVersion(candidate: string, stored: string): boolean {
  const a = Number(candidate);
  const b = Number(stored);
  if (candidate.trim() !== '' && stored.trim() !== '' && Number.isFinite(a) && Number.isFinite(b)) return a > b;
  return candidate.localeCompare(stored, 'en', { numeric: true }) > 0;
}

/**
 * Reads every source of a data set, in order: the bundled files first, then each folder
 * `waggle data import` read. When several sources hold the same document, the highest
 * version wins, and a later source wins a tie (an imported checkout over the bundled copy).
 */
export async function readDataSources(documents: IntelDocuments, set: IntelDataSet, bundled: readonly DataFile[]): Promise<DataSourceRead> {
  const best = new Map<string, DataFile>();
  const problems: DataProblem[] = [];
  const missing: string[] = [];
  const consider = (f: DataFile): void => {
    const key = `${f.kind}\0${f.name}`;
    const held = best.get(key);
    if (held === undefined || !isNewerVersion(held.version, f.version)) best.set(key, f);
  };
  bundled.forEach(consider);
  for (const dir of await documents.sources(set)) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      missing.push(dir);
      continue;
    }
    for (const c of await readDataFolder(documents, set, dir)) {
      if ('problem' in c) problems.push(c);
      else consider(c);
    }
  }
  return { files: [...best.values()], problems, missing };
}

/**
 * MISP's rule for library updates: a document is stored when it is new or its version is
 * higher than the stored one (an older or equal version never replaces what is stored).
 * Returns how many documents were written.
 */
export async function storeNewer(documents: IntelDocuments, files: readonly DataFile[]): Promise<number> {
  const stored = new Map<IntelKind, Map<string, string>>();
  const versions = async (kind: IntelKind): Promise<Map<string, string>> => {
    let m = stored.get(kind);
    if (m === undefined) {
      m = new Map((await documents.list(kind)).map((d) => [d.name, d.version]));
      stored.set(kind, m);
    }
    return m;
  };
  let written = 0;
  for (const f of files) {
    const current = (await versions(f.kind)).get(f.name);
    if (current !== undefined && !isNewerVersion(f.version, current)) continue;
    if ((await documents.upsert(f.kind, f.name, f.version, f.text, f.enabledIfNew)) !== 'unchanged') written++;
  }
  return written;
}
