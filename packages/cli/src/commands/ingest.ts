import { createReadStream, existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import { createMispClient } from '@waggle/client';
import { createFindingReporter, type Finding, type FindingReporter, type ReportCounts } from '@waggle/findings';
import { followIngest, ingestFlowCsv, ingestStream, suricataHandler, zeekHandler, type IngestorOptions, type IngestResult, type IngestStats, type LineHandler } from '@waggle/ids';
import { terminalOutput, type Output } from '../output.js';
import { untilSignal } from './until-signal.js';

type Format = 'suricata' | 'zeek' | 'flows';
interface IngestOpts {
  follow?: boolean; url?: string; key?: string; dryRun?: boolean; json?: boolean; source?: string; window?: string; distribution?: string;
  detectorVersion?: string; zeekLog?: string; interval?: string; heuristics?: boolean; fromEnd?: boolean;
}

function positiveInt(text: string | undefined, field: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${field} must be a positive integer, got "${text}"`, { field });
  return n;
}

function distributionOf(text: string | undefined): 0 | 1 | 2 | 3 {
  const n = Number(text ?? '0');
  if (n !== 0 && n !== 1 && n !== 2 && n !== 3) throw new InputError(`--distribution must be 0, 1, 2 or 3, got "${String(text)}"`, { field: 'distribution' });
  return n;
}

/** The reporter for the options, or undefined for a dry run; every missing setting is named before reading anything. */
function reporterOf(format: Format, o: IngestOpts): FindingReporter | undefined {
  if (o.dryRun === true) return undefined;
  const url = o.url ?? process.env.WAGGLE_URL;
  const key = o.key ?? process.env.WAGGLE_KEY;
  const missing = [url === undefined || url === '' ? '--url URL (or WAGGLE_URL)' : '', key === undefined || key === '' ? '--key KEY (or WAGGLE_KEY)' : ''].filter((m) => m !== '');
  if (missing.length > 0) throw new InputError(`a server is needed to report findings: ${missing.join(' and ')}; or use --dry-run`, { field: 'url' });
  return createFindingReporter({
    client: createMispClient({ url: url as string, key: new Secret(key as string) }),
    source: o.source ?? `${format}@${hostname()}`,
    distribution: distributionOf(o.distribution),
  });
}

function handlerOf(format: Format, o: IngestOpts): LineHandler {
  const version = o.detectorVersion ?? 'unknown';
  return format === 'suricata' ? suricataHandler(version) : zeekHandler(version, o.zeekLog ?? '');
}

function ingestorOptions(o: IngestOpts): IngestorOptions {
  return { aggregation: { windowMs: positiveInt(o.window, 'window', 60) * 60_000 }, ...(o.heuristics === false ? { heuristics: false } : {}) };
}

function checkFile(file: string): void {
  if (file === '-') return;
  if (!existsSync(file)) throw new NotFoundError(`no such file: ${file}`, { field: 'file' });
  if (!statSync(file).isFile()) throw new InputError(`not a file: ${file}`, { field: 'file' });
}

/** A file that yielded nothing usable is the wrong format: say so instead of reporting zero findings. */
function checkFormat(format: Format, stats: IngestStats): void {
  if (stats.used > 0 || stats.ignored > 0 || stats.issueCount === 0) return;
  const first = stats.issues[0];
  throw new InputError(`no ${format} records found: ${String(stats.issueCount)} unreadable lines (line ${String(first?.line)}: ${String(first?.reason)}); is this the right format?`, { field: 'file' });
}

function summary(stats: IngestStats, counts: ReportCounts | undefined, out: Output): void {
  const types = Object.entries(stats.byType).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  out.info(`read ${String(stats.lines)} lines (${types === '' ? 'no records' : types}): ${String(stats.findings)} findings`);
  if (stats.issueCount > 0) {
    out.warn(`${String(stats.issueCount)} malformed or truncated lines skipped`);
    for (const i of stats.issues.slice(0, 5)) out.warn(`  line ${String(i.line)}: ${i.reason}`);
  }
  if (counts !== undefined) out.info(`reported: ${String(counts.events)} events created, ${String(counts.eventsUpdated)} updated, ${String(counts.objects)} objects added, ${String(counts.unchanged)} already there, ${String(counts.sightings)} sightings`);
}

const addCounts = (a: ReportCounts, b: ReportCounts): ReportCounts => ({ events: a.events + b.events, eventsUpdated: a.eventsUpdated + b.eventsUpdated, objects: a.objects + b.objects, unchanged: a.unchanged + b.unchanged, sightings: a.sightings + b.sightings });
const zero = (): ReportCounts => ({ events: 0, eventsUpdated: 0, objects: 0, unchanged: 0, sightings: 0 });

async function ingestOnce(format: Format, file: string, o: IngestOpts, out: Output): Promise<void> {
  const reporter = reporterOf(format, o);
  const input: string | Readable = file === '-' ? process.stdin : file;
  let result: IngestResult;
  if (format === 'flows') result = await ingestFlowCsv(input, ingestorOptions(o));
  else result = await ingestStream(typeof input === 'string' ? createReadStream(input) : input, handlerOf(format, o), ingestorOptions(o));
  checkFormat(format, result.stats);
  const counts = reporter === undefined ? undefined : await reporter.report(result.findings);
  if (o.json === true) out.print(`${JSON.stringify({ stats: result.stats, ...(counts === undefined ? { findings: result.findings } : { report: counts }) })}\n`);
  else if (counts === undefined) for (const f of result.findings) out.print(`${JSON.stringify(f)}\n`);
  summary(result.stats, counts, out);
}


async function ingestFollow(format: Format, file: string, o: IngestOpts, out: Output): Promise<void> {
  if (format === 'flows' || file === '-') throw new InputError('--follow works on a Suricata or Zeek log file (stdin is already followed until it ends)', { field: 'follow' });
  const reporter = reporterOf(format, o);
  let counts = zero();
  const pending: Finding[] = [];
  let sending: Promise<void> = Promise.resolve();
  let lastError: Error | undefined;
  const flush = (): Promise<void> => {
    sending = sending.then(async () => {
      if (pending.length === 0 || reporter === undefined) return;
      const batch = pending.splice(0);
      try {
        counts = addCounts(counts, await reporter.report(batch));
        lastError = undefined;
      } catch (e) {
        pending.unshift(...batch); // kept for the next attempt: reports are idempotent
        lastError = e as Error;
        out.warn(`reporting failed, will retry: ${lastError.message}`);
      }
    });
    return sending;
  };
  const session = followIngest({
    path: file, handler: handlerOf(format, o), ...ingestorOptions(o), intervalMs: positiveInt(o.interval, 'interval', 1000), fromEnd: o.fromEnd === true,
    onFindings: (found) => {
      if (reporter === undefined) for (const f of found) out.print(`${JSON.stringify(f)}\n`);
      else {
        pending.push(...found);
        void flush();
      }
    },
  });
  out.info(`following ${file} (${format}); stop with Ctrl-C`);
  await untilSignal();
  session.stop();
  await flush();
  if (o.json === true) out.print(`${JSON.stringify({ stats: session.stats, ...(reporter === undefined ? {} : { report: counts }), restarts: session.follower.restarts })}\n`);
  summary(session.stats, reporter === undefined ? undefined : counts, out);
  if (lastError !== undefined) throw new InputError(`${String(pending.length)} findings could not be reported: ${lastError.message}`);
}

/** Registers `waggle ingest suricata|zeek|flows FILE|-`. */
export function registerIngestCommands(program: Command): void {
  const ingest = program.command('ingest').description('turn IDS logs (Suricata EVE, Zeek, CICFlowMeter CSV) into findings shared on a waggle server');
  const add = (format: Format, description: string): void => {
    const c = ingest.command(format).argument('<file>', 'log file, or - for standard input').description(description)
      .option('--url <url>', 'waggle/MISP server URL (or WAGGLE_URL)').option('--key <key>', 'API key (or WAGGLE_KEY)')
      .option('--dry-run', 'print findings as JSON instead of reporting them').option('--json', 'machine-readable output')
      .option('--source <name>', 'sensor name; one event per source and day (default <format>@<hostname>)')
      .option('--window <minutes>', 'aggregation window per source/destination/signature', '60')
      .option('--distribution <0-3>', 'MISP distribution of created events', '0')
      .option('--no-heuristics', 'no port-scan/brute-force detection over flow records');
    if (format !== 'flows') {
      c.option('--follow', 'keep reading as the file grows (rotation and truncation handled) until SIGINT/SIGTERM')
        .option('--from-end', 'with --follow: skip what the file already holds')
        .option('--interval <ms>', 'with --follow: polling period', '1000')
        .option('--detector-version <v>', `${format} version to record in the attack_type record`);
    }
    if (format === 'zeek') c.option('--zeek-log <path>', 'log type of a JSON log without _path (conn, dns, http, ssl, notice)');
    c.action(async (file: string, o: IngestOpts) => {
      const out = terminalOutput('info');
      checkFile(file);
      await (o.follow === true ? ingestFollow(format, file, o, out) : ingestOnce(format, file, o, out));
    });
  };
  add('suricata', 'ingest a Suricata EVE JSON log (alerts become findings, flows feed scan/brute-force detection)');
  add('zeek', 'ingest a Zeek log, TSV or JSON (notices become findings, conn feeds scan/brute-force detection)');
  add('flows', 'ingest a CICFlowMeter flow CSV (scan/brute-force detection over the flows)');
}
