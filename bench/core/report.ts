import { formatTable, mib, thousands } from '../lib/table.js';
import { failed, type EngineRun, type Outcome } from './result.js';

const FULL_SIZE = 1_000_000;

type Verdict = 'met' | 'missed' | '-';

function verdict(ok: boolean | undefined): Verdict {
  return ok === undefined ? '-' : ok ? 'met' : 'missed';
}

function show<T>(o: Outcome<T> | undefined, f: (v: T) => string): string {
  return failed(o) ? `FAILED: ${o?.error.split('\n')[0]?.slice(0, 60) ?? 'not run'}…` : f(o);
}

function pass<T>(o: Outcome<T> | undefined, f: (v: T) => boolean): boolean | undefined {
  return failed(o) ? false : f(o);
}

/** The results of one run as a table: figure, target from the issue, verdict. */
export function runTable(r: EngineRun): string {
  const full = r.workload.attributes >= FULL_SIZE;
  const scope = (v: Verdict): string => (v === '-' || full ? v : `${v} (target is for 1M)`);
  const on = r.ingestWithCorrelation;
  const off = r.ingestWithoutCorrelation;
  const rows: string[][] = [
    ['ingest, correlation on', show(on, (v) => `${thousands(v.attributesPerSecond)} attr/s (${v.seconds} s${v.complete ? '' : `, STOPPED at ${thousands(v.attributes)} attrs`})`), r.engine === 'sqlite' ? '≥ 25,000 attr/s' : '-', r.engine === 'sqlite' ? scope(verdict(pass(on, (v) => v.attributesPerSecond >= 25_000))) : '-'],
    ['  retried requests (retryable errors)', show(on, (v) => `${thousands(v.retries)}${v.retryReasons[0] !== undefined ? `: ${v.retryReasons[0].slice(0, 70)}` : ''}`), '', ''],
    ['  rate per tenth of the data', show(on, (v) => v.ratePerTenth.map((x) => thousands(x)).join(' ')), '', ''],
    ['  server CPU (user + system)', show(on, (v) => (v.serverCpuSeconds === undefined ? 'n/a' : `${v.serverCpuSeconds} s (${(v.serverCpuSeconds * 1e6 / Math.max(1, v.attributes)).toFixed(1)} µs/attr)`)), '', ''],
    ['  per event p50 / p95 / max', show(on, (v) => `${thousands(v.eventLatencyMs.p50)} / ${thousands(v.eventLatencyMs.p95)} / ${thousands(v.eventLatencyMs.max)} ms`), '', ''],
    ['ingest, correlation off', show(off, (v) => `${thousands(v.attributesPerSecond)} attr/s (${v.seconds} s)`), '', ''],
    ['  rate per tenth of the data', show(off, (v) => v.ratePerTenth.map((x) => thousands(x)).join(' ')), '', ''],
    ['correlation overhead (ingest time)', r.correlationOverheadPercent === null ? 'n/a' : `${r.correlationOverheadIsLowerBound ? '≥ ' : ''}${r.correlationOverheadPercent.toFixed(1)} %`, '≤ 25 %', scope(verdict(r.correlationOverheadPercent === null ? false : r.correlationOverheadPercent <= 25))],
    ['storage, correlation on', show(r.storageWithCorrelation, (v) => `${mib(v.totalBytes)} (${v.bytesPerAttribute.toFixed(0)} B/attr)`), 'linear', ''],
    ['storage, correlation off', show(r.storageWithoutCorrelation, (v) => `${mib(v.totalBytes)} (${v.bytesPerAttribute.toFixed(0)} B/attr)`), '', ''],
    ['ip_ranges rows / attribute', r.ipRangesPerAttribute === null ? 'n/a' : `${r.ipRangesPerAttribute.toFixed(3)} (${thousands(r.ipRangesRows ?? 0)} rows)`, 'constant', ''],
    ['event view with correlations p50 / p95', show(r.eventViews, (v) => `${v.p50Ms} / ${v.p95Ms} ms (max ${v.maxMs}; ${thousands(v.views)} events, median ${thousands(v.medianAttributes)} attrs, ${v.meanRelatedEvents} related events each)`), '', ''],
    ['value lookup p50 / p95 / p99', show(r.lookups, (v) => `${v.p50Ms} / ${v.p95Ms} / ${v.p99Ms} ms`), 'p95 ≤ 20 ms', scope(verdict(pass(r.lookups, (v) => v.p95Ms <= 20)))],
    ['tag+type search (~10k match)', show(r.tagSearch, (v) => `${thousands(v.medianMs)} ms median, ${thousands(v.firstMs)} ms first (${thousands(v.returned)} attrs)`), '≤ 1,000 ms', scope(verdict(pass(r.tagSearch, (v) => v.medianMs <= 1000 && v.returned >= 10_000)))],
    ['tag+type ip-dst & tlp:green, limit 10k', show(r.tagSearchIssueExample, (v) => `${thousands(v.medianMs)} ms median (${thousands(v.returned)} attrs)`), '', ''],
    ['CSV export, all attributes', show(r.csvExport, (v) => `${v.seconds} s (${thousands(v.rows)} rows, ${mib(v.bytes)})`), '≤ 30 s', scope(verdict(pass(r.csvExport, (v) => v.seconds <= 30)))],
    ['  peak RSS, server after the ingest*', show(r.csvExport, (v) => `${mib(v.peakRssBytes)} (before: ${mib(v.rssBeforeBytes)}${v.heapUsedBeforeBytes === undefined ? '' : `, heap ${mib(v.heapUsedBeforeBytes)}, buffers ${mib(v.externalBeforeBytes ?? 0)}`})`), '≤ 512 MiB', scope(verdict(pass(r.csvExport, (v) => v.peakRssBytes <= 512 * 1024 * 1024)))],
    ['CSV export, fresh server process**', show(r.csvExportFreshProcess, (v) => `${v.seconds} s`), '≤ 30 s', scope(verdict(pass(r.csvExportFreshProcess, (v) => v.seconds <= 30)))],
    ['  peak RSS, fresh server process**', show(r.csvExportFreshProcess, (v) => `${mib(v.peakRssBytes)} (before: ${mib(v.rssBeforeBytes)})`), '≤ 512 MiB', scope(verdict(pass(r.csvExportFreshProcess, (v) => v.peakRssBytes <= 512 * 1024 * 1024)))],
  ];
  // --ingest-only: the ingest with correlation and its storage, nothing that was skipped.
  const ingestRows = new Set(['ingest, correlation on', '  retried requests (retryable errors)', '  rate per tenth of the data', '  server CPU (user + system)', '  per event p50 / p95 / max', 'storage, correlation on', 'ip_ranges rows / attribute']);
  const shown = r.ingestOnly ? rows.filter((row, i) => i < 5 ? true : ingestRows.has(row[0] ?? '') && i > 7) : rows;
  const head = `core benchmark — ${r.engine} (${r.databaseVersion}), ${thousands(r.workload.attributes)} attributes in ${thousands(r.workload.events)} events, ${r.workload.concurrency} ingest clients, run took ${Math.round(r.durationSeconds)} s`;
  const tagQuery = failed(r.tagSearch) ? '' : `\n  tag+type query: ${JSON.stringify(r.tagSearch.query)} (matches ${thousands(r.tagSearch.matching)})`;
  const foot = r.ingestOnly ? 'only the ingest with correlation ran (--ingest-only)' : [
    r.inProcess
      ? '* RSS of the whole benchmark process after the ingest: server and HTTP client share it (--in-process), and so does the in-process\n  bus, which keeps its last 10,000 messages (the full JSON of every added event); "heap" and "buffers" show how much.'
      : '* RSS of the server process (a child of the benchmark, as `waggle serve`) after the ingest; its in-process bus keeps its last\n  100 messages, at most 8 MiB (the full JSON of added events).',
    '** a new Node process that starts waggle on the same database and streams the export (server and client, nothing else).',
    ...(r.analyzedBeforeQueries ? ['ANALYZE ran between ingest and queries (--analyze).'] : []),
  ].join('\n');
  return `${head}\n\n${formatTable(['measure', 'result', 'target', 'status'], shown)}${tagQuery}\n${foot}${r.notes.length > 0 ? `\nnotes:\n${r.notes.map((n) => `  - ${n}`).join('\n')}` : ''}`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || a === 0 ? 'n/a' : `×${(b / a).toFixed(2)}`;
}

function pick<T>(o: Outcome<T> | undefined, f: (v: T) => number): number | undefined {
  return failed(o) ? undefined : f(o);
}

/** How figures change from the smaller to the larger data set, per engine. */
export function scalingTable(small: EngineRun, large: EngineRun): string {
  const metrics: [string, (r: EngineRun) => number | undefined, string][] = [
    ['ingest attr/s (corr on)', (r) => pick(r.ingestWithCorrelation, (v) => v.attributesPerSecond), ''],
    ['ingest attr/s (corr off)', (r) => pick(r.ingestWithoutCorrelation, (v) => v.attributesPerSecond), ''],
    ['correlation overhead %', (r) => r.correlationOverheadPercent ?? undefined, ''],
    ['storage B/attr (corr on)', (r) => pick(r.storageWithCorrelation, (v) => v.bytesPerAttribute), ''],
    ['storage B/attr (corr off)', (r) => pick(r.storageWithoutCorrelation, (v) => v.bytesPerAttribute), ''],
    ['ip_ranges rows/attr', (r) => r.ipRangesPerAttribute ?? undefined, ''],
    ['event view p95 ms', (r) => pick(r.eventViews, (v) => v.p95Ms), ''],
    ['lookup p95 ms', (r) => pick(r.lookups, (v) => v.p95Ms), ''],
    ['tag+type search ms', (r) => pick(r.tagSearch, (v) => v.medianMs), ''],
    ['CSV export s', (r) => pick(r.csvExport, (v) => v.seconds), ''],
    ['CSV export peak RSS MiB', (r) => pick(r.csvExport, (v) => v.peakRssBytes / 1024 / 1024), ''],
    ['CSV export s (fresh process)', (r) => pick(r.csvExportFreshProcess, (v) => v.seconds), ''],
    ['CSV peak RSS MiB (fresh process)', (r) => pick(r.csvExportFreshProcess, (v) => v.peakRssBytes / 1024 / 1024), ''],
  ];
  const fmt = (n: number | undefined): string => (n === undefined ? 'n/a' : n >= 100 ? thousands(n) : n.toFixed(2));
  const rows = metrics.map(([name, f]) => [name, fmt(f(small)), fmt(f(large)), ratio(f(small), f(large))]);
  return `scaling — ${large.engine}: ${thousands(small.workload.attributes)} → ${thousands(large.workload.attributes)} attributes (×${(large.workload.attributes / small.workload.attributes).toFixed(0)})\n\n${formatTable(['measure', thousands(small.workload.attributes), thousands(large.workload.attributes), 'change'], rows)}`;
}
