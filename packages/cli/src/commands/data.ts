import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { InputError, NotFoundError } from '@waggle/errors';
import { loadBuiltinTaxonomies, parseClusterFile, parseGalaxy, parseTaxonomy, parseWarninglist } from '@waggle/intel';
import { createIntelDocuments, openSqlStore, type IntelDocuments, type IntelKind } from '@waggle/store';
import { readConfig, type ConfigInput } from '../config.js';
import { terminalOutput, type Output } from '../output.js';

type WithStore = (c: Command) => Command;

/** The data sets `waggle data import` reads: upstream MISP checkouts. */
export type DataSet = 'taxonomies' | 'galaxies' | 'warninglists';

/** What an import did, per stored document (a galaxy and its cluster file count separately). */
export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** One file to store: the document name, version and compact JSON, or why it cannot be. */
type Candidate = { file: string; kind: IntelKind; name: string; version: string; text: string; enabledIfNew: boolean } | { file: string; problem: string };

const KINDS: Readonly<Record<string, IntelKind>> = {
  taxonomy: 'taxonomy', taxonomies: 'taxonomy',
  galaxy: 'galaxy', galaxies: 'galaxy',
  'galaxy-clusters': 'galaxy-clusters', clusters: 'galaxy-clusters',
  warninglist: 'warninglist', warninglists: 'warninglist',
};

/** Parses a kind as typed on the command line (singular or plural). */
export function parseKind(raw: string): IntelKind {
  const kind = KINDS[raw.toLowerCase()];
  if (kind === undefined) throw new InputError(`Unknown kind "${raw}": use taxonomies, galaxies, galaxy-clusters or warninglists`, { field: 'kind' });
  return kind;
}

function parseDataSet(raw: string): DataSet {
  const kind = parseKind(raw);
  if (kind === 'galaxy-clusters') throw new InputError('Import cluster files with `waggle data import galaxies <misp-galaxy dir>`', { field: 'kind' });
  return kind === 'taxonomy' ? 'taxonomies' : kind === 'galaxy' ? 'galaxies' : 'warninglists';
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

function taxonomyCandidates(dir: string): Candidate[] {
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

async function galaxyCandidates(dir: string, documents: IntelDocuments): Promise<Candidate[]> {
  const out: Candidate[] = [];
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
  for (const file of jsonFiles(join(dir, 'clusters'))) {
    const read = readJson(file);
    if ('problem' in read) {
      out.push({ file, problem: read.problem });
      continue;
    }
    const parsed = parseClusterFile(read.json);
    if (!parsed.ok) out.push({ file, problem: parsed.problems.join('; ') });
    else if (!types.has(parsed.type) && (await documents.get('galaxy', parsed.type)) === undefined) out.push({ file, problem: `no galaxy of type "${parsed.type}"; clusters ignored (as MISP does)` });
    else out.push({ file, kind: 'galaxy-clusters', name: basename(file, '.json'), version: String((read.json as { version?: unknown }).version), text: JSON.stringify(read.json), enabledIfNew: true });
  }
  if (out.length === 0) out.push({ file: dir, problem: 'no galaxies/*.json or clusters/*.json here (expected a misp-galaxy checkout)' });
  return out;
}

function warninglistCandidates(dir: string): Candidate[] {
  const root = isDir(join(dir, 'lists')) ? join(dir, 'lists') : dir;
  const names = new Set<string>();
  return subdirs(root).filter((id) => existsSync(join(root, id, 'list.json'))).map((id): Candidate => {
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
 * Imports a MISP checkout (misp-taxonomies, misp-galaxy, misp-warninglists)
 * into the store. Every file is validated with `@waggle/intel` first; a bad
 * file is reported and skipped, the others are stored. Existing documents keep
 * their enabled flag.
 */
export async function importDataSet(documents: IntelDocuments, set: DataSet, dir: string, out: Pick<Output, 'warn'>): Promise<ImportSummary> {
  if (!isDir(dir)) throw new NotFoundError(`No folder ${dir}`);
  const candidates = set === 'taxonomies' ? taxonomyCandidates(dir) : set === 'galaxies' ? await galaxyCandidates(dir, documents) : warninglistCandidates(dir);
  const summary: ImportSummary = { added: 0, updated: 0, unchanged: 0, failed: 0 };
  if (candidates.length === 0) {
    out.warn(`${dir}: nothing to import (expected a MISP ${set} checkout)`);
    summary.failed++;
  }
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

/** Finds a document by id or name; names are also tried case-insensitively (`pap` for `PAP`). */
async function findRef(documents: IntelDocuments, kind: IntelKind, ref: string): Promise<string | number> {
  if ((await documents.get(kind, ref)) !== undefined) return ref;
  const match = (await documents.list(kind)).find((d) => d.name.toLowerCase() === ref.toLowerCase());
  if (match === undefined) throw new NotFoundError(`No ${kind} "${ref}" (see \`waggle data list ${kind}\`)`);
  return match.id;
}

/** Enables or disables a document; a running server sees it at its next start. */
export async function setDataEnabled(documents: IntelDocuments, kind: IntelKind, ref: string, enabled: boolean): Promise<string> {
  const doc = await documents.setEnabled(kind, await findRef(documents, kind, ref), enabled);
  return `${kind} ${doc.name} ${enabled ? 'enabled' : 'disabled'}`;
}

/** One line per document: id, name, version, enabled. */
export async function listData(documents: IntelDocuments, kind: IntelKind): Promise<string> {
  return (await documents.list(kind)).map((d) => `${d.id}\t${d.name}\t${d.version}\t${d.enabled ? 'enabled' : 'disabled'}\n`).join('');
}

async function withDocuments(opts: ConfigInput, fn: (documents: IntelDocuments, out: Output) => Promise<void>): Promise<void> {
  const config = readConfig(opts, process.env);
  const out = terminalOutput(config.logLevel);
  const store = await openSqlStore({ url: config.database.reveal() });
  try {
    await fn(createIntelDocuments(store.connection.db), out);
  } finally {
    await store.close();
  }
}

const NOTE: Readonly<Record<DataSet, string>> = {
  taxonomies: 'new taxonomies are disabled, as on MISP (tlp, PAP and the other built-in ones excepted): `waggle data enable taxonomy <namespace>`',
  galaxies: 'galaxies are enabled once imported, as on MISP',
  warninglists: 'new warninglists are disabled, as on MISP: `waggle data enable warninglist <name>`',
};

/** `waggle data import|list|enable|disable`: MISP taxonomies, galaxies and warninglists in the store. */
export function registerDataCommands(program: Command, withStore: WithStore): void {
  const data = program.command('data').description('MISP taxonomies, galaxies and warninglists');
  withStore(data.command('import').argument('<kind>', 'taxonomies, galaxies or warninglists').argument('<dir>', 'a misp-taxonomies, misp-galaxy or misp-warninglists checkout').description('import a MISP data set folder')).action(async (kind: string, dir: string, opts: ConfigInput) =>
    withDocuments(opts, async (documents, out) => {
      const set = parseDataSet(kind);
      const s = await importDataSet(documents, set, dir, out);
      out.info(`${set}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed`);
      out.info(`${NOTE[set]}; a running server picks changes up at its next start.`);
      if (s.failed > 0) process.exitCode = 1;
    }),
  );
  withStore(data.command('list').argument('<kind>', 'taxonomies, galaxies, galaxy-clusters or warninglists').description('list stored documents')).action(async (kind: string, opts: ConfigInput) =>
    withDocuments(opts, async (documents, out) => out.print(await listData(documents, parseKind(kind)))),
  );
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    withStore(data.command(verb).argument('<kind>', 'taxonomy, galaxy or warninglist').argument('<name>', 'name or id (see `waggle data list`)').description(`${verb} a taxonomy, galaxy or warninglist`)).action(async (kind: string, name: string, opts: ConfigInput) =>
      withDocuments(opts, async (documents, out) => out.info(await setDataEnabled(documents, parseKind(kind), name, enabled))),
    );
  }
}
