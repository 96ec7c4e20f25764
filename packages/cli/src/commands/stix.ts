import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { InputError, isWaggleError } from '@waggle/errors';
import { parseEvent, type Principal } from '@waggle/core';
import { eventToStixObjects, stixToEvents, type StixObject } from '@waggle/stix';
import { compareTaxiiTimestamps, createTaxiiClient, parseTaxiiTimestamp, type TaxiiAuth } from '@waggle/taxii';
import { readConfig, type Config, type ConfigInput } from '../config.js';
import type { Output } from '../output.js';
import type { Runtime } from '../runtime.js';
import { adminPrincipal } from './principal.js';
import { openOutput } from './output-stream.js';
import { withRuntime } from './with-runtime.js';
import { isSharedStixObject } from '@waggle/server';

type WithStore = (c: Command) => Command;


/** Runs `fn` on an open runtime as the site administrator (created on a new store, as `waggle admin` does). */
async function asAdmin(opts: ConfigInput, fn: (rt: Runtime, p: Principal, out: Output) => Promise<void>): Promise<void> {
  await withRuntime(opts, async (rt, out) => fn(rt, await adminPrincipal(rt), out));
}

/**
 * Writes every event `p` may see (only published ones with `published`) as one
 * STIX 2.1 bundle, streamed: one event is converted and written at a time.
 * Returns the number of events.
 */
export async function exportStix(rt: Runtime, p: Principal, file: string | undefined, published: boolean): Promise<number> {
  const out = openOutput(file);
  const written = new Set<string>();
  let n = 0;
  let first = true;
  await out.write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
  for await (const event of rt.services.events.search(p, published ? { published: true } : {}, { includeCorrelations: false })) {
    for (const o of eventToStixObjects(event)) {
      if (isSharedStixObject(o)) {
        if (written.has(o.id)) continue;
        written.add(o.id);
      }
      await out.write(`${first ? '' : ','}\n${JSON.stringify(o)}`);
      first = false;
    }
    n++;
  }
  await out.write('\n]}\n');
  await out.end();
  return n;
}

/** What an import did. */
export interface StixImportSummary {
  added: number;
  updated: number;
  failed: number;
  warnings: number;
}

/**
 * Imports a STIX 2.1 bundle as MISP events (`stixToEvents`, one event per
 * report, plus one for objects no report lists). Like `waggle import`, each
 * event is its own transaction: one that fails is reported and skipped; the
 * others are kept. A malformed bundle throws InputError before anything is written.
 */
export async function importStixBundle(rt: Runtime, p: Principal, bundle: unknown, out: Output): Promise<StixImportSummary> {
  const { events, warnings } = stixToEvents(bundle);
  for (const w of warnings) out.warn(`${w.objectId ?? 'bundle'}: ${w.message}`);
  const summary: StixImportSummary = { added: 0, updated: 0, failed: 0, warnings: warnings.length };
  for (const json of events) {
    try {
      const event = { ...(json as unknown as Record<string, unknown>) };
      // The sharing group id of another server means nothing here: use the default distribution.
      if (String(event.distribution) === '4') delete event.distribution;
      const input = parseEvent(event);
      const exists = input.uuid !== undefined && (await rt.services.events.exists(p, input.uuid));
      if (exists) await rt.services.events.edit(p, input.uuid as string, input, { metadata: true });
      else await rt.services.events.add(p, input, { metadata: true });
      if (exists) summary.updated++;
      else summary.added++;
    } catch (error) {
      summary.failed++;
      out.warn(`event ${String((json as { uuid?: unknown }).uuid ?? '?')}: ${isWaggleError(error) ? error.message : String(error)}`);
    }
  }
  return summary;
}

/** Where `taxii pull` keeps its cursors: beside the SQLite database, in the data folder. */
export function taxiiStatePath(config: Config): string {
  return join(config.home, 'taxii-state.json');
}

type TaxiiState = Record<string, { lastAdded: string }>;

function readState(path: string): TaxiiState {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as TaxiiState) : {};
  } catch (error) {
    throw new InputError(`${path} is not valid JSON (${(error as Error).message}); remove it to pull from the start`, { field: 'state' });
  }
}

function writeState(path: string, state: TaxiiState): void {
  // Write then rename, so an interrupted run never leaves half a file.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** Options of `waggle taxii pull`. */
export interface TaxiiPullOptions {
  readonly apiRoot: string;
  readonly collection: string;
  readonly auth?: TaxiiAuth;
  readonly addedAfter?: string;
  readonly limit?: number;
}

/** What a pull did: the import summary, how many objects came, and the cursor for the next pull. */
export interface TaxiiPullResult extends StixImportSummary {
  readonly objects: number;
  readonly lastAdded: string | undefined;
}

/**
 * Pages through a TAXII 2.1 collection with the TAXII client and imports what
 * came as MISP events. The objects of one pull are gathered before conversion,
 * because a report may arrive pages before or after the objects it lists;
 * incremental pulls (`addedAfter`) keep that set small. The cursor is the
 * largest `X-TAXII-Date-Added-Last` the server sent.
 */
export async function pullTaxii(rt: Runtime, p: Principal, o: TaxiiPullOptions, out: Output): Promise<TaxiiPullResult> {
  const root = new URL(o.apiRoot.endsWith('/') ? o.apiRoot : `${o.apiRoot}/`);
  let lastAdded: string | undefined;
  const watching: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const added = res.headers.get('x-taxii-date-added-last');
    if (res.ok && added !== null) {
      const t = parseTaxiiTimestamp(added, 'X-TAXII-Date-Added-Last');
      if (lastAdded === undefined || compareTaxiiTimestamps(t, lastAdded) > 0) lastAdded = t;
    }
    return res;
  };
  // The API root URL serves as the client's base: objects() needs no discovery.
  const client = createTaxiiClient({ url: root.toString(), fetch: watching, ...(o.auth !== undefined ? { auth: o.auth } : {}) });
  const objects: StixObject[] = [];
  for await (const obj of client.objects(root.toString(), o.collection, { limit: o.limit ?? 500, ...(o.addedAfter !== undefined ? { addedAfter: o.addedAfter } : {}) })) {
    objects.push(obj as StixObject);
  }
  if (objects.length === 0) return { added: 0, updated: 0, failed: 0, warnings: 0, objects: 0, lastAdded };
  const summary = await importStixBundle(rt, p, { type: 'bundle', id: `bundle--${randomUUID()}`, objects }, out);
  return { ...summary, objects: objects.length, lastAdded };
}

function authOf(opts: { user?: string; password?: string; key?: string }): TaxiiAuth | undefined {
  if (opts.key !== undefined && (opts.user !== undefined || opts.password !== undefined)) throw new InputError('Use either --key or --user/--password, not both', { field: 'key' });
  if (opts.key !== undefined) return { header: 'Authorization', value: opts.key };
  if (opts.user === undefined && opts.password === undefined) return undefined;
  if (opts.user === undefined || opts.password === undefined) throw new InputError('--user and --password go together', { field: 'user' });
  return { username: opts.user, password: opts.password };
}

type Opts = ConfigInput & { out?: string; published?: boolean };
type PullOpts = ConfigInput & { collection: string; user?: string; password?: string; key?: string; addedAfter?: string; limit?: string };

/**
 * `waggle export stix`, `waggle import stix FILE` and `waggle taxii pull`.
 * The first two become subcommands of the existing `export`/`import` commands.
 */
export function registerStixCommands(program: Command, withStore: WithStore): void {
  const parent = (name: string, description: string): Command => program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

  withStore(parent('export', 'export events').command('stix').option('--out <file>', 'write to a file instead of stdout').option('--published', 'only published events').description('export every event as one STIX 2.1 bundle'))
    .action(async (_opts: Opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      await asAdmin(opts, async (rt, p, out) => {
        out.info(`exported ${await exportStix(rt, p, opts.out, opts.published === true)} events as STIX 2.1`);
      });
    });

  withStore(parent('import', 'import events').command('stix').argument('<file>', 'a STIX 2.1 bundle (JSON)').description('import a STIX 2.1 bundle as MISP events'))
    .action(async (file: string, _opts: Opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Opts>();
      let bundle: unknown;
      try {
        bundle = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch (error) {
        throw new InputError(`${file}: not a readable JSON file (${(error as Error).message})`, { field: 'file' });
      }
      await asAdmin(opts, async (rt, p, out) => {
        const s = await importStixBundle(rt, p, bundle, out);
        out.info(`imported: ${s.added} new, ${s.updated} updated, ${s.failed} failed, ${s.warnings} warnings`);
        if (s.failed > 0) process.exitCode = 1;
      });
    });

  const taxii = parent('taxii', 'TAXII 2.1 client');
  withStore(
    taxii.command('pull').argument('<api-root-url>', 'the API root, e.g. https://cti.example.org/taxii2/api/')
      .requiredOption('--collection <id>', 'collection id')
      .option('--user <name>', 'HTTP Basic user name').option('--password <secret>', 'HTTP Basic password (waggle: the API key)')
      .option('--key <key>', 'API key sent as the Authorization header')
      .option('--added-after <timestamp>', 'only objects added after this time (default: the cursor saved by the last pull)')
      .option('--limit <n>', 'page size to ask for', '500')
      .description('pull a TAXII collection and import it as MISP events; remembers where it stopped'),
  ).action(async (apiRoot: string, _opts: PullOpts, cmd: Command) => {
    const opts = cmd.optsWithGlobals<PullOpts>();
    const auth = authOf(opts);
    const limit = Number(opts.limit ?? '500');
    if (!Number.isInteger(limit) || limit < 1) throw new InputError('--limit must be a positive integer', { field: 'limit' });
    const config = readConfig(opts, process.env);
    const statePath = taxiiStatePath(config);
    const state = readState(statePath);
    const key = `${apiRoot.replace(/\/*$/, '/')}collections/${opts.collection}/`;
    const addedAfter = opts.addedAfter !== undefined ? parseTaxiiTimestamp(opts.addedAfter, '--added-after') : state[key]?.lastAdded;
    await asAdmin(opts, async (rt, p, out) => {
      const r = await pullTaxii(rt, p, { apiRoot, collection: opts.collection, limit, ...(auth !== undefined ? { auth } : {}), ...(addedAfter !== undefined ? { addedAfter } : {}) }, out);
      out.info(`pulled ${r.objects} objects: ${r.added} new events, ${r.updated} updated, ${r.failed} failed, ${r.warnings} warnings`);
      if (r.failed > 0) {
        // Keep the old cursor: the next pull fetches the failed events again.
        out.warn(`cursor not advanced because events failed; last added was ${r.lastAdded ?? 'unknown'}`);
        process.exitCode = 1;
      } else if (r.lastAdded !== undefined) {
        writeState(statePath, { ...state, [key]: { lastAdded: r.lastAdded } });
        out.info(`next pull resumes after ${r.lastAdded} (saved in ${statePath}; --added-after overrides)`);
      }
    });
  });
}
