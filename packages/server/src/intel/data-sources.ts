import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NotFoundError } from '@waggle/errors';
import { loadBuiltinTaxonomies, parseClusterFile, parseGalaxy, parseTaxonomy, parseWarninglist, type Taxonomy } from '@waggle/intel';
import type { IntelDataSet, IntelDocuments, IntelKind } from '@waggle/store';

/** One file of a data set, ready to store: the document's kind, name, version and compact JSON. */
export interface DataFile {
  readonly file: string;
  readonly kind: IntelKind;
  readonly name: string;
  readonly version: string;
  readonly text: string;
  /** The enabled flag of a document stored for the first time. */
  readonly enabledIfNew: boolean;
}

/** A file that cannot be stored, and why. */
export interface DataProblem {
  readonly file: string;
  readonly problem: string;
}

/** What reading a folder gives: files to store and files that cannot be. */
export type DataCandidate = DataFile | DataProblem;

/** What an import did, per stored document (a galaxy and its cluster file count separately). */
export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
}

function readJson(file: string): { json: unknown } | { problem: string } {
  try {
    return { json: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const subdirs = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const jsonFiles = (dir: string): string[] => (isDir(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f)) : []);

// New taxonomies are disabled, as on MISP, except those waggle ships enabled (tlp, PAP…), so they stay usable.
let builtin: ReadonlySet<string> | undefined;
const isBuiltin = (namespace: string): boolean => (builtin ??= new Set(loadBuiltinTaxonomies().map((t) => t.namespace.toLowerCase()))).has(namespace.toLowerCase());

function taxonomyCandidates(dir: string): DataCandidate[] {
  const files = existsSync(join(dir, 'machinetag.json')) ? [join(dir, 'machinetag.json')] : subdirs(dir).map((d) => join(dir, d, 'machinetag.json')).filter((f) => existsSync(f));
  return files.map((file) => {
    const read = readJson(file);
    if ('problem' in read) return { file, problem: read.problem };
    const parsed = parseTaxonomy(read.json);
    if (!parsed.ok) return { file, problem: parsed.problems.join('; ') };
    const t = parsed.taxonomy;
    return { file, kind: 'taxonomy', name: t.namespace, version: String(t.version), text: JSON.stringify(read.json), enabledIfNew: isBuiltin(t.namespace) };
  });
}

async function galaxyCandidates(dir: string, documents: IntelDocuments): Promise<DataCandidate[]> {
  const out: DataCandidate[] = [];
  const types = new Set<string>();
  for (const file of jsonFiles(join(dir, 'galaxies'))) {
    const read = readJson(file);
    const parsed = 'json' in read ? parseGalaxy(read.json) : undefined;
    if ('problem' in read) out.push({ file, problem: read.problem });
    else if (parsed?.ok === false) out.push({ file, problem: parsed.problems.join('; ') });
    else if (parsed?.ok === true) {
      if (types.has(parsed.galaxy.type)) out.push({ file, problem: `galaxy type "${parsed.galaxy.type}" is defined twice` });
      types.add(parsed.galaxy.type);
      // Galaxies are enabled on MISP once imported; so here.
      out.push({ file, kind: 'galaxy', name: parsed.galaxy.type, version: String(parsed.galaxy.version), text: JSON.stringify(read.json), enabledIfNew: true });
    }
  }
  const storedTypes = new Set((await documents.list('galaxy')).map((d) => d.name));
  for (const file of jsonFiles(join(dir, 'clusters'))) {
    const read = readJson(file);
    if ('problem' in read) {
      out.push({ file, problem: read.problem });
      continue;
    }
    const parsed = parseClusterFile(read.json);
    if (!parsed.ok) out.push({ file, problem: parsed.problems.join('; ') });
    else if (!types.has(parsed.type) && !storedTypes.has(parsed.type)) out.push({ file, problem: `no galaxy of type "${parsed.type}"; clusters ignored (as MISP does)` });
    else out.push({ file, kind: 'galaxy-clusters', name: basename(file, '.json'), version: String((read.json as { version?: unknown }).version), text: JSON.stringify(read.json), enabledIfNew: true });
  }
  if (out.length === 0) out.push({ file: dir, problem: 'no galaxies/*.json or clusters/*.json here (expected a misp-galaxy checkout)' });
  return out;
}

function warninglistCandidates(dir: string): DataCandidate[] {
  const root = isDir(join(dir, 'lists')) ? join(dir, 'lists') : dir;
  const names = new Set<string>();
  return subdirs(root).filter((id) => existsSync(join(root, id, 'list.json'))).map((id): DataCandidate => {
    const file = join(root, id, 'list.json');
    const read = readJson(file);
    if ('problem' in read) return { file, problem: read.problem };
    const parsed = parseWarninglist(read.json, id);
    if (!parsed.ok) return { file, problem: parsed.problems.join('; ') };
    if (names.has(parsed.warninglist.name)) return { file, problem: `another list is already named "${parsed.warninglist.name}"` };
    names.add(parsed.warninglist.name);
    // MISP enables no warninglist by default: an admin picks them.
    return { file, kind: 'warninglist', name: id, version: String(parsed.warninglist.version), text: JSON.stringify(read.json), enabledIfNew: false };
  });
}

/**
 * Reads a MISP checkout (misp-taxonomies, misp-galaxy, misp-warninglists): every file is
 * validated with `@waggle/intel`; a folder with nothing to read gives one problem.
 */
export async function readDataFolder(documents: IntelDocuments, set: IntelDataSet, dir: string): Promise<DataCandidate[]> {
  if (!isDir(dir)) throw new NotFoundError(`No folder ${dir}`);
  const candidates = set === 'taxonomies' ? taxonomyCandidates(dir) : set === 'galaxies' ? await galaxyCandidates(dir, documents) : warninglistCandidates(dir);
  return candidates.length === 0 ? [{ file: dir, problem: `nothing to import (expected a MISP ${set} checkout)` }] : candidates;
}

/** Serialises a taxonomy the way the CLI stores documents (compact), so re-imports compare equal. */
export function taxonomyDocument(t: Taxonomy): string {
  const predicates = t.predicates.map(({ entries: _entries, ...p }) => p);
  const values = t.predicates.filter((p) => p.entries.length > 0).map((p) => ({ predicate: p.value, entry: p.entries }));
  return JSON.stringify({ ...t, predicates, ...(values.length > 0 ? { values } : {}) });
}

/** The taxonomies waggle ships, as files to store (stored enabled when new). */
export function builtinTaxonomyFiles(taxonomies: readonly Taxonomy[]): DataFile[] {
  return taxonomies.map((t) => ({ file: `(built in) ${t.namespace}`, kind: 'taxonomy', name: t.namespace, version: String(t.version), text: taxonomyDocument(t), enabledIfNew: true }));
}

/**
 * `waggle data import`: stores a MISP checkout. A bad file is reported and skipped, the
 * others are stored; existing documents keep their enabled flag. The folder is remembered
 * (absolute path) so the server's `<set>/update` reads it again.
 */
export async function importDataSet(documents: IntelDocuments, set: IntelDataSet, dir: string, out: { warn(message: string): void }): Promise<ImportSummary> {
  const candidates = await readDataFolder(documents, set, dir);
  await documents.recordSource(set, resolve(dir));
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const c of candidates) {
    if ('problem' in c) {
      out.warn(`${c.file}: ${c.problem}`);
      summary.failed++;
      continue;
    }
    summary[await documents.upsert(c.kind, c.name, c.version, c.text, c.enabledIfNew)]++;
  }
  return summary;
}
