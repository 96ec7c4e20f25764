import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describeMachine, machineInfo, type MachineInfo } from '../lib/machine.js';
import { round } from '../lib/stats.js';
import { thousands } from '../lib/table.js';
import { startBenchServer, type BenchServer, type Engine } from './environment.js';
import { createWorkload, type Workload } from './generator.js';
import { ingest, type IngestResult } from './ingest.js';
import { CORE_USAGE, parseCoreOptions, type CoreOptions } from './options.js';
import { csvExportInFreshProcess } from './fresh-process.js';
import { measureCsvExport, measureEventViews, measureLookups, measureTagSearch } from './queries.js';
import { runTable, scalingTable } from './report.js';
import { failed, type EngineRun, type Failure, type Outcome, type StorageFigures } from './result.js';
import { chooseTagTypeQuery, summarize, type WorkloadSummary } from './summary.js';

const MINUTE = 60_000;
const TAG_SEARCH_TARGET = 10_000;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** Servers still running, so an interrupt can remove their databases. */
const live = new Set<BenchServer>();

async function phase<T>(name: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  const t0 = performance.now();
  try {
    const value = await fn();
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${name}: FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${message}`);
    return { error: message } satisfies Failure;
  }
}

async function withServer<T>(engine: Engine, label: string, options: CoreOptions, fn: (s: BenchServer) => Promise<T>): Promise<T> {
  const server = await startBenchServer(engine, { postgresUrl: options.postgresUrl, label, inProcess: options.inProcess });
  live.add(server);
  log(`${engine}/${label}: server on ${server.client.baseUrl}, data in ${server.location}`);
  try {
    return await fn(server);
  } finally {
    live.delete(server);
    await server.destroy().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  }
}

async function storage(server: BenchServer, attributes: number): Promise<StorageFigures> {
  const size = await server.size();
  return { ...size, bytesPerAttribute: round(size.totalBytes / attributes, 1) };
}

async function verifyCounts(server: BenchServer, s: WorkloadSummary): Promise<void> {
  const [attributes, events] = [await server.count('attributes'), await server.count('events')];
  if (attributes !== s.attributes || events !== s.events) {
    throw new Error(`after ingest the database holds ${attributes} attributes in ${events} events; sent ${s.attributes} in ${s.events}`);
  }
}

function progress(engine: Engine, label: string) {
  return (done: number, total: number, seconds: number): void => {
    log(`${engine}/${label}: ${thousands(done)}/${thousands(total)} attributes, ${seconds.toFixed(1)} s, ${thousands(Math.round(done / seconds))} attr/s`);
  };
}

interface QueryFigures {
  readonly lookups: EngineRun['lookups'];
  readonly tagSearch: EngineRun['tagSearch'];
  readonly tagSearchIssueExample: EngineRun['tagSearchIssueExample'];
  readonly eventViews: EngineRun['eventViews'];
  readonly csvExport: EngineRun['csvExport'];
  readonly csvExportFreshProcess: EngineRun['csvExportFreshProcess'];
}

async function runQueries(engine: Engine, server: BenchServer, summary: WorkloadSummary, options: CoreOptions, notes: string[]): Promise<QueryFigures> {
  if (options.analyze) {
    const t0 = performance.now();
    await server.analyze();
    notes.push(`ANALYZE ran before the queries (${((performance.now() - t0) / 1000).toFixed(1)} s, --analyze)`);
  }
  const lookups = await phase(`${engine}: ${summary.lookupValues.length} value lookups`, () => measureLookups(server.client, summary.lookupValues, summary.warmupValues, MINUTE));
  const chosen = chooseTagTypeQuery(summary, TAG_SEARCH_TARGET);
  if (chosen.matching < TAG_SEARCH_TARGET) notes.push(`no tag+type combination matches ${thousands(TAG_SEARCH_TARGET)} attributes at this size; the largest (${thousands(chosen.matching)}) was used`);
  const tagSearch = await phase(`${engine}: tag+type search`, () => measureTagSearch(server.client, chosen, TAG_SEARCH_TARGET, 5, 5 * MINUTE));
  const example = { tags: ['tlp:green'], types: ['ip-dst'], matching: summary.tagTypeCounts['tlp:green']?.['ip-dst'] ?? 0 };
  const tagSearchIssueExample = await phase(`${engine}: tag+type search (issue example)`, () => measureTagSearch(server.client, example, TAG_SEARCH_TARGET, 5, 5 * MINUTE));
  const eventViews = await phase(`${engine}: ${summary.viewEvents.length} event views`, () => measureEventViews(server.client, summary.viewEvents, 5 * MINUTE));
  if (!failed(eventViews) && eventViews.meanRelatedEvents === 0) notes.push('event views found no correlations: the workload or correlation is broken');
  const csvExport = await phase(`${engine}: CSV export`, () => measureCsvExport(server.client, summary.attributes, 60 * MINUTE, server.pid));
  const csvExportFreshProcess = await phase(`${engine}: CSV export in a fresh process`, () => csvExportInFreshProcess(server.url, summary.attributes, 65 * MINUTE));
  return { lookups, tagSearch, tagSearchIssueExample, eventViews, csvExport, csvExportFreshProcess };
}

function overheadPercent(on: Outcome<IngestResult> | undefined, off: Outcome<IngestResult>): { percent: number | null; lowerBound: boolean } {
  if (failed(on) || failed(off)) return { percent: null, lowerBound: false };
  if (on.complete) return { percent: round(((on.seconds - off.seconds) / off.seconds) * 100, 1), lowerBound: false };
  // Stopped early: compare with the time the same number of attributes took without
  // correlation. Ingest slows down as the database grows, so this understates the overhead.
  const offSeconds = on.attributes / off.attributesPerSecond;
  return { percent: round(((on.seconds - offSeconds) / offSeconds) * 100, 1), lowerBound: true };
}

/** The CPU seconds (user + system, all threads) a process has used: this one's, or a child's from /proc. */
function cpuReader(pid: number | undefined): () => number {
  if (pid === undefined) {
    return () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
  }
  return () => {
    // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime and stime in clock ticks (100 Hz on Linux).
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
}

async function runEngine(engine: Engine, workload: Workload, summary: WorkloadSummary, options: CoreOptions, machine: MachineInfo): Promise<EngineRun> {
  const started = performance.now();
  const notes: string[] = [];
  const tags = Object.keys(summary.tagTypeCounts);
  let databaseVersion: string = engine;
  const on: { -readonly [K in keyof Pick<EngineRun, 'ingestWithCorrelation' | 'storageWithCorrelation' | 'ipRangesRows' | 'ipRangesPerAttribute'>]?: EngineRun[K] } = {};
  let queries: QueryFigures | undefined;
  await withServer(engine, 'corr', options, async (server) => {
    databaseVersion = await server.databaseVersion();
    const ingestOn = await phase(`${engine}: ingest with correlation`, async () => {
      const r = await ingest(server.client, workload, {
        concurrency: options.concurrency, disableCorrelation: false, requestTimeoutMs: 15 * MINUTE, tags, onProgress: progress(engine, 'corr'), serverCpuSeconds: cpuReader(server.pid),
        ...(options.maxIngestMinutes !== undefined ? { budgetSeconds: options.maxIngestMinutes * 60 } : {}),
      });
      if (r.complete) await verifyCounts(server, summary);
      return r;
    });
    on.ingestWithCorrelation = ingestOn;
    if (failed(ingestOn)) return;
    const stored = ingestOn.attributes;
    on.storageWithCorrelation = await phase(`${engine}: storage`, () => storage(server, stored));
    on.ipRangesRows = await server.count('ip_ranges');
    on.ipRangesPerAttribute = round(on.ipRangesRows / stored, 4);
    if (!ingestOn.complete) {
      notes.push(`ingest with correlation stopped by --max-ingest-minutes ${String(options.maxIngestMinutes)} after ${thousands(stored)} of ${thousands(summary.attributes)} attributes; its rate, storage and row counts cover those attributes`);
      return;
    }
    if (options.ingestOnly) return;
    queries = await runQueries(engine, server, summary, options, notes);
  });
  const skipped = { error: 'not run (--ingest-only)' };
  const off: { ingest: Outcome<IngestResult>; storage: Outcome<StorageFigures> } = options.ingestOnly ? { ingest: skipped, storage: skipped } : { ingest: { error: 'not run' }, storage: { error: 'not run' } };
  if (!options.ingestOnly) await withServer(engine, 'nocorr', options, async (server) => {
    off.ingest = await phase(`${engine}: ingest without correlation`, async () => {
      const r = await ingest(server.client, workload, { concurrency: options.concurrency, disableCorrelation: true, requestTimeoutMs: 15 * MINUTE, tags, onProgress: progress(engine, 'nocorr') });
      await verifyCounts(server, summary);
      // ip_ranges holds the IP ranges of every IP attribute (SQLite: blocks only, migration 019), correlating or not.
      const rows = await server.count('ip_ranges');
      if (on.ipRangesRows !== undefined && rows !== on.ipRangesRows) throw new Error(`disable_correlation events wrote ${rows} ip_ranges rows, correlating ones ${on.ipRangesRows}`);
      return r;
    });
    if (failed(off.ingest)) return;
    off.storage = await phase(`${engine}: storage`, () => storage(server, summary.attributes));
    if (queries === undefined) {
      notes.push('lookups, searches and the CSV export ran on the database without correlation, as the ingest with correlation did not complete (these queries do not read correlation tables)');
      queries = await runQueries(engine, server, summary, options, notes);
    }
  });
  const overhead = overheadPercent(on.ingestWithCorrelation, off.ingest);
  const notRun = (): Failure => (options.ingestOnly ? skipped : { error: 'not run (ingest failed)' });
  return {
    engine,
    databaseVersion,
    machine,
    workload: { seed: options.seed, events: summary.events, attributes: summary.attributes, sharedAttributes: summary.sharedAttributes, expectedCorrelationValues: summary.expectedCorrelationValues, concurrency: options.concurrency },
    ingestWithCorrelation: on.ingestWithCorrelation ?? notRun(),
    ingestWithoutCorrelation: off.ingest,
    correlationOverheadPercent: overhead.percent,
    correlationOverheadIsLowerBound: overhead.lowerBound,
    storageWithCorrelation: on.storageWithCorrelation ?? notRun(),
    storageWithoutCorrelation: off.storage,
    ipRangesPerAttribute: on.ipRangesPerAttribute ?? null,
    ipRangesRows: on.ipRangesRows ?? null,
    lookups: queries?.lookups ?? notRun(),
    tagSearch: queries?.tagSearch ?? notRun(),
    tagSearchIssueExample: queries?.tagSearchIssueExample ?? notRun(),
    eventViews: queries?.eventViews ?? notRun(),
    csvExport: queries?.csvExport ?? notRun(),
    csvExportFreshProcess: queries?.csvExportFreshProcess ?? notRun(),
    analyzedBeforeQueries: options.analyze,
    inProcess: options.inProcess,
    ingestOnly: options.ingestOnly,
    notes,
    durationSeconds: round((performance.now() - started) / 1000, 1),
  };
}

function onInterrupt(signal: NodeJS.Signals): void {
  log(`${signal}: removing scratch databases`);
  void Promise.allSettled([...live].map((s) => s.destroy())).then(() => process.exit(130));
}

/** `npm run bench -- core [options]`: returns the process exit code. */
export async function runCoreBench(argv: readonly string[]): Promise<number> {
  const options = parseCoreOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(`${CORE_USAGE}\n`);
    return 0;
  }
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const machine = machineInfo(process.cwd(), import.meta.resolve('@waggle/server'));
  process.stdout.write(`${describeMachine(machine)}\n\n`);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const runs: EngineRun[] = [];
  let problems = 0;
  for (const size of options.sizes) {
    const t0 = performance.now();
    const workload = createWorkload({ attributes: size, seed: options.seed, ...(options.events !== undefined ? { events: options.events } : {}) });
    const summary = summarize(workload, options.lookups);
    log(`workload: ${thousands(summary.attributes)} attributes in ${thousands(summary.events)} events, ${thousands(summary.sharedAttributes)} from the shared pool (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const engine of options.engines) {
      let run: EngineRun;
      try {
        run = await runEngine(engine, workload, summary, options, machine);
      } catch (error) {
        problems++;
        log(`${engine} at ${thousands(size)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        continue;
      }
      runs.push(run);
      const file = join(outDir, `core-${engine}-${size}${options.analyze ? '-analyze' : ''}${options.ingestOnly ? '-ingest' : ''}.json`);
      writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
      process.stdout.write(`${runTable(run)}\nJSON: ${file}\n\n`);
      const phases = options.ingestOnly ? [run.ingestWithCorrelation] : [run.ingestWithCorrelation, run.ingestWithoutCorrelation, run.lookups, run.tagSearch, run.tagSearchIssueExample, run.csvExport, run.csvExportFreshProcess];
      if (phases.some((p) => failed(p))) problems++;
    }
  }
  if (options.sizes.length > 1) {
    for (const engine of options.engines) {
      const [small, large] = options.sizes.map((size) => runs.find((r) => r.engine === engine && r.workload.attributes === size));
      if (small !== undefined && large !== undefined) process.stdout.write(`${scalingTable(small, large)}\n\n`);
    }
  }
  process.removeListener('SIGINT', onInterrupt);
  process.removeListener('SIGTERM', onInterrupt);
  return problems === 0 ? 0 : 1;
}
