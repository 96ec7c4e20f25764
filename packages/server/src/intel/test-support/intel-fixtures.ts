import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntelDocuments } from '@waggle/store';

/** The shared data folder: `WAGGLE_SHARED_DATA`, else `shared/data` beside the repository, else `/work/shared/data` (a clone elsewhere, as in CI). */
export const SHARED_DATA = process.env.WAGGLE_SHARED_DATA ?? (existsSync(fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url))) ? fileURLToPath(new URL('../../../../../../shared/data/', import.meta.url)) : '/work/shared/data/');
export const TAXONOMIES_DIR = join(SHARED_DATA, 'misp-taxonomies');
export const GALAXY_DIR = join(SHARED_DATA, 'misp-galaxy');
export const WARNINGLISTS_DIR = join(SHARED_DATA, 'misp-warninglists');

const compact = (file: string): { text: string; json: Record<string, unknown> } => {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return { text: JSON.stringify(json), json };
};

/** Stores upstream taxonomies by folder name (as the CLI import does: name = namespace). */
export async function storeTaxonomies(docs: IntelDocuments, names: readonly string[], enabled: boolean): Promise<void> {
  for (const name of names) {
    const { text, json } = compact(join(TAXONOMIES_DIR, name, 'machinetag.json'));
    await docs.upsert('taxonomy', String(json.namespace), String(json.version), text, enabled);
  }
}

/** Stores upstream galaxies and their cluster files by file name (`mitre-attack-pattern`, `threat-actor`…). */
export async function storeGalaxies(docs: IntelDocuments, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const g = compact(join(GALAXY_DIR, 'galaxies', `${file}.json`));
    await docs.upsert('galaxy', String(g.json.type), String(g.json.version), g.text, true);
    const c = compact(join(GALAXY_DIR, 'clusters', `${file}.json`));
    await docs.upsert('galaxy-clusters', file, String(c.json.version), c.text, true);
  }
}

/** Stores upstream warninglists by folder id; all of them when `ids` is undefined. */
export async function storeWarninglists(docs: IntelDocuments, ids: readonly string[] | undefined, enabled: boolean): Promise<number> {
  const all = ids ?? readdirSync(join(WARNINGLISTS_DIR, 'lists'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const id of all) {
    const { text, json } = compact(join(WARNINGLISTS_DIR, 'lists', id, 'list.json'));
    await docs.upsert('warninglist', basename(id), String(json.version), text, enabled);
  }
  return all.length;
}
