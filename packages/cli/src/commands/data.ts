import type { Command } from 'commander';
import { InputError, NotFoundError } from '@waggle/errors';
import { importDataSet } from '@waggle/server';
import { createIntelDocuments, openSqlStore, type IntelDataSet, type IntelDocuments, type IntelKind } from '@waggle/store';
import { readConfig, type ConfigInput } from '../config.js';
import { terminalOutput, type Output } from '../output.js';

export { importDataSet };
export type { ImportSummary } from '@waggle/server';

type WithStore = (c: Command) => Command;

/** The data sets `waggle data import` reads: upstream MISP checkouts. */
export type DataSet = IntelDataSet;

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
      out.info(`${NOTE[set]}; a running server picks changes up on POST ${set}/update (site admins; PyMISP update_${set}()), which also reads this folder again, or at its next start.`);
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
