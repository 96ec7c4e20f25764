import { join } from 'node:path';
import { WaggleError } from '@waggle/errors';
import { fileURLToPath } from 'node:url';
import type { LoadProblem } from '../files/load-problem.js';
import { isFile, listDir, readJsonFile } from '../files/read-json-file.js';
import { parseTaxonomy } from './parse-taxonomy.js';
import type { Taxonomy } from './taxonomy.js';

/** Taxonomies read from a folder, with whatever could not be read. */
export interface LoadedTaxonomies {
  readonly taxonomies: readonly Taxonomy[];
  /** Files skipped, and why (each names its file); empty when all loaded. */
  readonly errors: readonly LoadProblem[];
  /** Non-fatal remarks on files that did load (unknown fields, duplicates dropped). */
  readonly warnings: readonly LoadProblem[];
}

/**
 * Loads every `<dir>/<name>/machinetag.json` (a misp-taxonomies checkout or an
 * exported folder). Subfolders without one (`tools`, `mapping`) are skipped
 * silently, as MISP does. A missing directory, unreadable or invalid files
 * are reported in `errors` without stopping the others.
 */
export function loadTaxonomiesFromDir(dir: string): LoadedTaxonomies {
  const taxonomies: Taxonomy[] = [];
  const errors: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  const listing = listDir(dir, 'dirs');
  if (listing.message !== undefined) errors.push({ file: dir, message: listing.message });
  for (const name of listing.names) {
    const file = join(dir, name, 'machinetag.json');
    if (!isFile(file)) continue;
    const read = readJsonFile(file);
    if (!read.ok) {
      errors.push({ file, message: read.message });
      continue;
    }
    const parsed = parseTaxonomy(read.json);
    if (!parsed.ok) {
      errors.push({ file, message: parsed.problems.join('; ') });
      continue;
    }
    taxonomies.push(parsed.taxonomy);
    for (const message of parsed.warnings) warnings.push({ file, message });
  }
  return { taxonomies, errors, warnings };
}

/** Folder of the taxonomies shipped with the package (resolves the same from src/ and dist/). */
export function builtinTaxonomiesDir(): string {
  return fileURLToPath(new URL('../../data/taxonomies', import.meta.url));
}

/**
 * The taxonomies waggle ships (tlp, PAP, workflow, admiralty-scale,
 * estimative-language, misp). They are part of the product, so a broken or
 * missing file is a packaging bug: an `internal` error, not a result to sift.
 */
export function loadBuiltinTaxonomies(): readonly Taxonomy[] {
  const dir = builtinTaxonomiesDir();
  const { taxonomies, errors } = loadTaxonomiesFromDir(dir);
  if (errors.length > 0 || taxonomies.length === 0) {
    const detail = errors.map((e) => `${e.file}: ${e.message}`).join('; ') || 'no taxonomy found';
    throw new WaggleError('internal', `the built-in taxonomies in ${dir} cannot be loaded: ${detail}`, { details: { errors } });
  }
  return taxonomies;
}
