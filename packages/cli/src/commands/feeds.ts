import type { Command } from 'commander';
import type { Principal } from '@waggle/core';
import type { FeedFetchReport } from '@waggle/server';
import type { ConfigInput } from '../config.js';
import type { Output } from '../output.js';
import type { Runtime } from '../runtime.js';
import { adminPrincipal } from './principal.js';
import { withRuntime } from './with-runtime.js';

type WithStore = (c: Command) => Command;
type Json = Record<string, unknown>;

interface AddOptions extends ConfigInput {
  name: string;
  provider?: string;
  format: string;
  local?: boolean;
  distribution: string;
  tag?: string;
  newEventEachFetch?: boolean;
  deltaMerge?: boolean;
  csvValue?: string;
  csvDelimiter?: string;
  headerRow?: boolean;
  exclude?: string;
  header?: string[];
  disabled?: boolean;
  cache?: boolean;
  lookupVisible?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function printReport(out: Output, r: FeedFetchReport): void {
  const counts = r.format === 'misp' ? `${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.forgotten} forgotten` : `${r.attributesAdded} attributes added, ${r.attributesRemoved} removed${r.eventId !== undefined ? ` (event ${r.eventId})` : ''}, ${r.rejectedRows} rows rejected`;
  out.print(`feed ${r.feedId} ${r.name}: ${r.ok ? 'ok' : 'problems'}: ${counts}\n`);
  for (const e of r.errors.slice(0, 20)) out.print(`  ${e.uuid ?? '-'}\t${e.retryable ? 'retryable' : 'permanent'}\t${e.message}\n`);
  if (r.errors.length > 20) out.print(`  … ${r.errors.length - 20} more\n`);
  if (!r.ok) process.exitCode = 1;
}

async function tagId(rt: Runtime, p: Principal, name: string): Promise<number> {
  const existing = await rt.store.read((repos) => repos.getTag(name));
  return existing?.id ?? Number((await rt.services.tags.add(p, { name })).id);
}

function feedBody(url: string, opts: AddOptions, tag: number): Json {
  const csv: Json = {};
  if (opts.csvValue !== undefined) csv.value = opts.csvValue;
  if (opts.csvDelimiter !== undefined) csv.delimiter = opts.csvDelimiter;
  if (opts.headerRow === true) csv.headerRow = true;
  const settings: Json = {};
  if (Object.keys(csv).length > 0) settings.csv = csv;
  if (opts.exclude !== undefined) settings.common = { excluderegex: opts.exclude };
  const provider = opts.provider ?? (opts.local === true ? 'local' : URL.canParse(url) ? new URL(url).hostname : url);
  return {
    Feed: {
      name: opts.name, provider, url, source_format: opts.format, input_source: opts.local === true ? 'local' : 'network', distribution: opts.distribution,
      enabled: opts.disabled !== true, caching_enabled: opts.cache === true, lookup_visible: opts.lookupVisible === true, tag_id: tag,
      fixed_event: opts.newEventEachFetch !== true, delta_merge: opts.deltaMerge === true, settings, headers: (opts.header ?? []).join('\n'),
    },
  };
}

/** `waggle feeds …` and `waggle export feed`: MISP, CSV and freetext feeds from the command line (acting as the first site administrator). */
export function registerFeedCommands(program: Command, withStore: WithStore): void {
  const feeds = program.command('feeds').description('MISP, CSV and freetext feeds');
  withStore(
    feeds.command('add').argument('<url>', 'http(s) URL, or an absolute path with --local (a MISP feed folder, or a CSV/text file)')
      .requiredOption('--name <name>', 'feed name').option('--provider <name>', 'who publishes the feed (default: the URL host)')
      .option('--format <format>', 'misp, csv or freetext', 'misp').option('--local', 'read from a path on this host')
      .option('--distribution <0-5>', 'distribution of imported events', '0').option('--tag <name>', 'tag imported events (created if missing)')
      .option('--new-event-each-fetch', 'csv/freetext: a new event per fetch instead of one fixed event').option('--delta-merge', 'csv/freetext: remove values that left the feed from the fixed event')
      .option('--csv-value <columns>', 'csv: value column(s), from 1 ("2" or "2,3")').option('--csv-delimiter <text>', 'csv: field separator').option('--header-row', 'csv: the first row names the columns')
      .option('--exclude <regex>', 'skip values matching this regex').option('--header <line>', 'HTTP header "Name: value" (repeatable)', collect)
      .option('--disabled', 'add without enabling').option('--cache', 'enable the value cache').option('--lookup-visible', 'show overlaps with this feed to every user')
      .description('add a feed'),
  ).action(async (url: string, opts: AddOptions) =>
    withRuntime(opts, async (rt, out) => {
      const p = await adminPrincipal(rt);
      const tag = opts.tag === undefined ? 0 : await tagId(rt, p, opts.tag);
      const feed = (await rt.services.feeds.add(p, feedBody(url, opts, tag))).Feed as Json;
      out.print(`${String(feed.id)}\t${String(feed.name)}\n`);
    }),
  );
  withStore(feeds.command('list').description('list feeds')).action(async (opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      for (const row of await rt.services.feeds.list(await adminPrincipal(rt))) {
        const f = row.Feed as Json;
        const when = Number(f.last_fetched) === 0 ? 'never fetched' : new Date(Number(f.last_fetched) * 1000).toISOString();
        out.print(`${String(f.id)}\t${f.enabled === true ? 'enabled' : 'disabled'}\t${f.caching_enabled === true ? 'cached' : '-'}\t${String(f.source_format)}\t${String(f.name)}\t${String(f.url)}\t${when}${f.last_error === '' ? '' : `\t${String(f.last_error)}`}\n`);
      }
    }),
  );
  withStore(feeds.command('fetch').argument('<feed>', 'feed id or name, or "all" for every enabled feed').description('import what is new in a feed')).action(async (ref: string, opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      const p = await adminPrincipal(rt);
      const reports = ref === 'all' ? await rt.services.feeds.fetchAll(p) : [await rt.services.feeds.fetch(p, ref)];
      for (const r of reports) printReport(out, r);
    }),
  );
  withStore(feeds.command('cache').argument('<scope>', 'feed id or name, or all, misp, freetext').description('rebuild the value cache used for overlap')).action(async (scope: string, opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      const result = await rt.services.feeds.cache(await adminPrincipal(rt), scope);
      for (const f of result.feeds) out.print(`${f.id}\t${f.name}\t${f.error === undefined ? `${String(f.hashes)} hashes` : `failed: ${f.error}`}\n`);
      if (result.fails > 0) process.exitCode = 1;
    }),
  );
  withStore(feeds.command('remove').argument('<feed>', 'feed id or name').description('remove a feed (imported events stay)')).action(async (ref: string, opts: ConfigInput) =>
    withRuntime(opts, async (rt, out) => {
      const feed = await rt.services.feeds.delete(await adminPrincipal(rt), ref);
      out.info(`removed feed ${feed.id} ${feed.name}`);
    }),
  );
  for (const [action, on] of [['enable', true], ['disable', false]] as const) {
    withStore(feeds.command(action).argument('<feed>', 'feed id or name').option('--caching', `${action} the value cache instead of fetching`).description(`${action} a feed`)).action(async (ref: string, opts: ConfigInput & { caching?: boolean }) =>
      withRuntime(opts, async (rt, out) => {
        const feed = (await rt.services.feeds.edit(await adminPrincipal(rt), ref, { Feed: opts.caching === true ? { caching_enabled: on } : { enabled: on } })).Feed as Json;
        out.info(`feed ${String(feed.id)} ${String(feed.name)}: ${opts.caching === true ? 'caching' : 'fetching'} ${action}d`);
      }),
    );
  }

  // `export` (MISP JSON of every event) is defined in main.ts; `export feed` is its sub-command.
  const exportCommand = program.commands.find((c) => c.name() === 'export') ?? program.command('export');
  withStore(exportCommand.command('feed').argument('<dir>', 'folder to write (created if missing; updated incrementally)').option('--all', 'unpublished events too').option('--recipient <name>', 'who the feed is for, as the anonymisation policy names feeds (default: the folder name)').description('write a MISP feed (manifest.json, <uuid>.json, hashes.csv); with WAGGLE_PRIVACY_POLICY, anonymised for the feed')).action(
    async (dir: string, _opts: ConfigInput, command: Command) => {
      // Options given after `export` belong to the parent command; merge them.
      const opts = command.optsWithGlobals<ConfigInput & { all?: boolean; recipient?: string }>();
      await withRuntime(opts, async (rt, out) => {
        const r = await rt.services.feeds.export(dir, await adminPrincipal(rt), { all: opts.all === true, ...(opts.recipient !== undefined ? { recipient: opts.recipient } : {}) });
        out.info(`feed in ${r.dir}: ${r.events} events (${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed${r.rebuilt ? ', rebuilt' : ''})`);
      });
    },
  );
}
