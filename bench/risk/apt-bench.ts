import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeStrategyTable, loadAptDatabase, type AptDatabase } from '@waggle/risk';
import { optionReader, parseArgs } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median, round } from '../lib/stats.js';
import { formatTable } from '../lib/table.js';

const USAGE = `usage: npm run bench -- apt [--passes 5] [--delays 1,3,7] [--data <dir>] [--json <file>]
  --passes  timed passes of load + full strategy table; the median is reported (default 5)
  --delays  delays of planned / reactive / informed-reactive (default 1,3,7)
  --data    the apt-campaigns folder (default ../shared/data/apt-campaigns from the repo)
  --json    also write the figures as JSON to this file`;

const DEFAULT_DATA = fileURLToPath(new URL('../../../shared/data/apt-campaigns', import.meta.url));
/** The target of the task: loading plus the whole table within 5 s. */
const TARGET_MS = 5000;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface AptBenchOptions {
  readonly passes: number;
  readonly delays: readonly number[];
  readonly data: string;
  readonly json?: string;
}

function parseAptOptions(argv: readonly string[]): AptBenchOptions | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const { problems, text, count } = optionReader({ positional, named }, ['passes', 'delays', 'data', 'json']);
  const passes = count('passes', 5);
  const delayText = text('delays') ?? '1,3,7';
  const delays = delayText.split(',').map((d) => Number(d.trim()));
  if (delays.some((d) => !Number.isInteger(d) || d < 0 || d > 120)) problems.push(`--delays must be whole months from 0 to 120 separated by commas, got "${delayText}"`);
  const data = text('data') ?? DEFAULT_DATA;
  const json = text('json');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return json === undefined ? { passes, delays, data } : { passes, delays, data, json };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/**
 * APT model figures: time to load and clean the campaign database and to compute the whole
 * strategy table (every strategy, delay and case), median of several passes.
 */
export async function runAptBench(argv: readonly string[]): Promise<number> {
  const parsed = parseAptOptions(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return parsed === USAGE ? 0 : 2;
  }
  const options = parsed;
  const machine = machineInfo(process.cwd());
  log(describeMachine(machine));
  const loads: number[] = [];
  const tables: number[] = [];
  let db: AptDatabase | undefined;
  let rowCount = 0;
  for (let pass = 0; pass < options.passes; pass++) {
    const load = timed(() => loadAptDatabase(options.data));
    const table = timed(() => computeStrategyTable(load.value, { delays: options.delays }));
    loads.push(load.ms);
    tables.push(table.ms);
    db = load.value;
    rowCount = table.value.length;
    log(`pass ${pass + 1}: load ${load.ms.toFixed(0)} ms, table ${table.ms.toFixed(0)} ms (${rowCount} rows)`);
  }
  await Promise.resolve();
  if (db === undefined) return 1;
  const totals = loads.map((l, i) => l + (tables[i] ?? 0));
  const total = median(totals);
  const versions = db.products.reduce((sum, p) => sum + p.versions.length, 0);
  const rows: string[][] = [
    ['load + clean database', `${db.stats.campaignRows} campaign rows, ${versions} versions`, `${round(median(loads))} ms`],
    ['full strategy table', `${rowCount} rows x ${db.campaigns.length} campaigns`, `${round(median(tables))} ms`],
    ['load + table (median)', `target <= ${TARGET_MS} ms`, `${round(total)} ms`],
    ['first pass (cold)', '', `${round(totals[0] ?? 0)} ms`],
  ];
  process.stdout.write(`${formatTable(['apt', 'size', 'figure'], rows)}\n`);
  if (options.json !== undefined) {
    const figures = { machine, passes: options.passes, delays: options.delays, loadMs: loads.map((v) => round(v)), tableMs: tables.map((v) => round(v)), medianTotalMs: round(total), rows: rowCount, campaigns: db.campaigns.length, targetMs: TARGET_MS };
    writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
  }
  if (total > TARGET_MS) {
    log(`median ${round(total)} ms is over the ${TARGET_MS} ms target`);
    return 1;
  }
  return 0;
}
