import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMispClient } from '@waggle/client';
import { Secret } from '@waggle/errors';
import { createFindingReporter } from '@waggle/findings';
import { ingestStream, readLines, suricataHandler } from '@waggle/ids';
import { startServer } from '../core/environment.js';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';
import { writeEveFile } from './eve-generator.js';

const USAGE = `usage: npm run bench -- ingest [--lines 200k] [--rounds 3] [--skip-server] [--json <file>]
  --lines        EVE lines generated and ingested (default 200k; mixed alert/flow/dns/http/tls/fileinfo/anomaly)
  --rounds       parse+aggregate runs; the median is reported (default 3)
  --skip-server  do not report the findings to an in-process waggle server
  --json         also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};
const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

/** waggle on a SQLite file in `dir`, wired as `waggle serve` wires it (bench/core/environment.ts). */
async function startWaggle(dir: string): Promise<{ url: string; key: string; close: () => Promise<void> }> {
  const server = await startServer(join(dir, 'waggle.sqlite'));
  return { url: server.client.baseUrl, key: server.authKey, close: () => server.close() };
}

/** `npm run bench -- ingest`: EVE lines/s through parsing and aggregation, and findings to a real server. */
export async function runIngestBench(argv: readonly string[]): Promise<number> {
  const { positional, named } = parseArgs(argv, new Set(['skip-server', 'help']));
  if (named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...named.keys()].filter((k) => !['lines', 'rounds', 'skip-server', 'json'].includes(k));
  if (unknown.length > 0 || positional.length > 0) {
    process.stderr.write(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const lines = parseCount(String(named.get('lines') ?? '200k'), 'lines');
  const rounds = parseCount(String(named.get('rounds') ?? '3'), 'rounds');
  process.stderr.write(`${describeMachine(machineInfo(process.cwd()))}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  try {
    const file = join(dir, 'eve.json');
    log(`generating ${thousands(lines)} EVE lines`);
    const gen = await writeEveFile(file, lines);

    // Baseline: reading lines and JSON.parse alone, the floor any EVE reader pays.
    const base: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const t0 = process.hrtime.bigint();
      let n = 0;
      for await (const l of readLines(createReadStream(file))) if (JSON.parse(l.text) !== null) n += 1;
      base.push(n / seconds(t0));
    }
    const rates: number[] = [];
    let findings: Awaited<ReturnType<typeof ingestStream>>['findings'] = [];
    for (let r = 0; r < rounds; r += 1) {
      const t0 = process.hrtime.bigint();
      const res = await ingestStream(createReadStream(file), suricataHandler('7.0.8'));
      rates.push(res.stats.lines / seconds(t0));
      findings = res.findings;
      if (res.stats.issueCount !== 0) throw new Error(`generated file had ${String(res.stats.issueCount)} bad lines`);
    }
    const scan = findings.find((f) => f.srcIp === '198.51.100.66');
    const rate = median(rates);
    process.stdout.write(`\nEVE ingestion (${thousands(gen.lines)} lines, ${thousands(gen.bytes / 1048576, 1)} MiB, ${thousands(gen.alerts)} alerts, ${thousands(gen.flows)} flows; median of ${String(rounds)})\n`);
    process.stdout.write(`${formatTable(['stage', 'lines/s', 'MiB/s'], [
      ['read + JSON.parse only', thousands(median(base)), thousands((median(base) * gen.bytes) / gen.lines / 1048576, 1)],
      ['parse + aggregate + flow heuristics', thousands(rate), thousands((rate * gen.bytes) / gen.lines / 1048576, 1)],
    ])}\n`);
    process.stdout.write(`findings: ${thousands(findings.length)} (the 10,000-port scan is ${scan === undefined ? 'MISSING' : `one finding, count ${thousands(scan.count)}`})\n`);

    let server: { findings: number; seconds: number; perSecond: number; again: number } | undefined;
    if (!named.has('skip-server')) {
      const waggle = await startWaggle(dir);
      try {
        const reporter = createFindingReporter({ client: createMispClient({ url: waggle.url, key: new Secret(waggle.key) }), source: 'bench-sensor' });
        const t0 = process.hrtime.bigint();
        const counts = await reporter.report(findings);
        const s = seconds(t0);
        const t1 = process.hrtime.bigint();
        await reporter.report(findings);
        server = { findings: counts.objects, seconds: s, perSecond: counts.objects / s, again: seconds(t1) };
        process.stdout.write(`\nReport to an in-process waggle server (SQLite): ${thousands(counts.objects)} objects in ${String(counts.events)} event(s), ${thousands(s, 2)} s (${thousands(server.perSecond)} findings/s); idempotent re-send ${thousands(server.again, 2)} s\n`);
      } finally {
        await waggle.close();
      }
    }
    const json = named.get('json');
    if (typeof json === 'string') writeFileSync(json, `${JSON.stringify({ lines: gen.lines, bytes: gen.bytes, baselineLinesPerSecond: median(base), linesPerSecond: rate, findings: findings.length, server }, null, 2)}\n`);
    return scan === undefined || scan.count !== 10_000 ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
