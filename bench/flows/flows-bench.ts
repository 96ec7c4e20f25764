import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetrics, createRng, generateFlows, iterateFlows, loadFlows, readHoneypotFlows } from '@waggle/flows';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { formatTable, thousands } from '../lib/table.js';
import { numpyAucMs, pythonCsvRate } from './anchors.js';
import { writeCicCsv } from './cic-writer.js';

const USAGE = `usage: npm run bench -- flows [--generate 200k] [--rows 100k] [--scores 1m] [--sessions 20k] [--json <file>]
  --generate  synthetic flows generated (default 200k)
  --rows      rows of a CIC-IDS2017-format CSV written and loaded back (default 100k)
  --scores    scores for computeMetrics (default 1m)
  --sessions  honeypot sessions (about 6 Cowrie lines each) converted to flows (default 20k)
  --json      also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function cowrieLines(sessions: number): string {
  const rng = createRng('bench-cowrie');
  const lines: string[] = [];
  const t0 = Date.UTC(2026, 11, 2);
  for (let s = 0; s < sessions; s += 1) {
    const session = s.toString(16).padStart(12, '0');
    const env = { session, src_ip: `203.0.${rng.int(0, 255)}.${rng.int(1, 254)}`, src_port: rng.int(32768, 60999), dst_ip: '10.0.5.2', dst_port: 2222, sensor: 'bench', protocol: 'ssh' };
    const at = (ms: number): string => `${new Date(t0 + s * 1000 + ms).toISOString().slice(0, 23)}000Z`;
    lines.push(JSON.stringify({ eventid: 'cowrie.session.connect', timestamp: at(0), ...env, message: 'New connection' }));
    const attempts = rng.int(1, 4);
    for (let a = 0; a < attempts; a += 1) {
      lines.push(JSON.stringify({ eventid: 'cowrie.login.failed', timestamp: at(100 + a * 300), ...env, message: 'login attempt failed', username: 'root', password: `pw${a}` }));
    }
    lines.push(JSON.stringify({ eventid: 'cowrie.session.closed', timestamp: at(1500), ...env, message: 'Connection lost', duration: 1.5 }));
  }
  return `${lines.join('\n')}\n`;
}

/** The flows benchmark: generator, CICFlowMeter loader, metrics and honeypot conversion throughput. */
export async function runFlowsBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const opt = (name: string, fallback: string): number => {
    const v = args.named.get(name);
    return parseCount(typeof v === 'string' ? v : fallback, name);
  };
  const generate = opt('generate', '200k');
  const rows = opt('rows', '100k');
  const scores = opt('scores', '1m');
  const sessions = opt('sessions', '20k');
  const dir = mkdtempSync(join(tmpdir(), 'waggle-bench-flows-'));
  const results: Record<string, number | null> = {};
  try {
    log(`generating ${thousands(generate)} flows`);
    let start = process.hrtime.bigint();
    let count = 0;
    for (const _ of iterateFlows({ seed: 1, count: generate, attackRatio: 0.2 })) count += 1;
    results['generate_flows_per_s'] = count / seconds(start);

    log(`writing and loading ${thousands(rows)} CIC-IDS2017 rows`);
    const csv = join(dir, 'cic.csv');
    const bytes = await writeCicCsv(csv, iterateFlows({ seed: 2, count: rows, attackRatio: 0.2 }));
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    start = process.hrtime.bigint();
    const loader = loadFlows(csv, { format: 'cicflowmeter' });
    let loaded = 0;
    for await (const _ of loader) {
      loaded += 1;
      if (loaded % 10000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const loadSeconds = seconds(start);
    results['cic_rows_per_s'] = loaded / loadSeconds;
    results['cic_mib_per_s'] = bytes / 1024 / 1024 / loadSeconds;
    results['cic_rss_growth_mib'] = (peakRss - rssBefore) / 1024 / 1024;
    results['cic_file_mib'] = bytes / 1024 / 1024;
    log('python csv anchor on the same file');
    results['python_csv_rows_per_s'] = pythonCsvRate(csv) ?? null;

    log(`metrics over ${thousands(scores)} scores`);
    const rng = createRng('bench-scores');
    const labels = new Uint8Array(scores);
    const values = new Float32Array(scores);
    for (let i = 0; i < scores; i += 1) {
      labels[i] = rng.next() < 0.2 ? 1 : 0;
      values[i] = Math.round(Math.min(1, Math.max(0, 0.3 + 0.4 * (labels[i] ?? 0) + (rng.next() - 0.5) * 0.6)) * 1e4) / 1e4;
    }
    start = process.hrtime.bigint();
    const m = computeMetrics(values, labels);
    results['metrics_ms'] = seconds(start) * 1000;
    results['metrics_roc_auc'] = m.rocAuc;
    results['numpy_auc_ms'] = numpyAucMs(scores) ?? null;

    log(`honeypot conversion of ${thousands(sessions)} sessions`);
    const log2 = join(dir, 'cowrie.json');
    const text = cowrieLines(sessions);
    writeFileSync(log2, text);
    const lineCount = text.split('\n').length - 1;
    start = process.hrtime.bigint();
    const hp = await readHoneypotFlows(log2);
    results['honeypot_lines_per_s'] = lineCount / seconds(start);
    results['honeypot_flows'] = hp.flows.length;
    // Sanity: the whole pipeline agrees on counts.
    if (loaded !== rows || hp.flows.length !== sessions || generateFlows({ seed: 1, count: 10 }).length !== 10) {
      throw new Error(`count mismatch: loaded ${loaded}/${rows}, sessions ${hp.flows.length}/${sessions}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (v: number | null | undefined, digits = 0): string => (v === null || v === undefined ? 'n/a' : thousands(v, digits));
  process.stdout.write(`${describeMachine(machineInfo(process.cwd(), import.meta.resolve('@waggle/flows')))}\n\n`);
  process.stdout.write(
    `${formatTable(['measure', 'waggle', 'anchor'], [
      [`generate ${thousands(generate)} flows (flows/s)`, fmt(results['generate_flows_per_s']), '-'],
      [`load CIC-IDS2017 CSV, ${fmt(results['cic_file_mib'], 1)} MiB (rows/s)`, fmt(results['cic_rows_per_s']), `${fmt(results['python_csv_rows_per_s'])} (python csv+float)`],
      ['load CIC-IDS2017 CSV (MiB/s)', fmt(results['cic_mib_per_s'], 1), '-'],
      ['load: RSS growth while streaming (MiB)', fmt(results['cic_rss_growth_mib'], 1), '-'],
      [`computeMetrics, ${thousands(scores)} scores (ms)`, fmt(results['metrics_ms']), `${fmt(results['numpy_auc_ms'])} (numpy rank AUC only)`],
      [`honeypot log to flows (lines/s)`, fmt(results['honeypot_lines_per_s']), '-'],
    ])}\n`,
  );
  const json = args.named.get('json');
  if (typeof json === 'string') writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  return 0;
}
