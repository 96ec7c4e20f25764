import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGalaxyIndex, createTaxonomyIndex, createWarninglistMatcher, loadGalaxiesFromDir, loadTaxonomiesFromDir, loadWarninglistsFromDir } from '@waggle/intel';
import { optionReader, parseArgs } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median, round } from '../lib/stats.js';
import { formatTable, mib, thousands } from '../lib/table.js';
import { createPrng } from '../core/prng.js';
import { syntheticAttributes } from './synthetic-attributes.js';

const USAGE = `usage: npm run bench -- intel [--checks 1m] [--passes 3] [--seed 1] [--data <dir>] [--json <file>]
  --checks  attribute values checked per pass (default 1m)
  --passes  timed passes over the values; the median is reported (default 3)
  --data    folder holding misp-warninglists/ and misp-galaxy/ (default ../shared/data from the repo)
  --json    also write the figures as JSON to this file`;

const DEFAULT_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface IntelOptions {
  readonly checks: number;
  readonly passes: number;
  readonly seed: number;
  readonly data: string;
  readonly json?: string;
}

function parseIntelOptions(argv: readonly string[]): IntelOptions | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const { problems, text, count } = optionReader({ positional, named }, ['checks', 'passes', 'seed', 'data', 'json']);
  const options = { checks: count('checks', 1_000_000), passes: count('passes', 3), seed: count('seed', 1), data: text('data') ?? DEFAULT_DATA };
  const json = text('json');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return json === undefined ? options : { ...options, json };
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/**
 * Warninglist and galaxy figures: load and build time, memory held, and the
 * cost of one attribute check with every upstream warninglist enabled.
 */
export async function runIntelBench(argv: readonly string[]): Promise<number> {
  const parsed = parseIntelOptions(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return parsed === USAGE ? 0 : 2;
  }
  const options = parsed;
  const machine = machineInfo(process.cwd());
  log(describeMachine(machine));
  if ((globalThis as { gc?: unknown }).gc === undefined) log('run node with --expose-gc for exact memory figures');

  const heap0 = heapAfterGc();
  const load = timed(() => loadWarninglistsFromDir(`${options.data}/misp-warninglists`));
  if (load.value.lists.length === 0) {
    log(`no warninglists found in ${options.data}/misp-warninglists: ${load.value.errors.map((e) => e.message).join('; ')}`);
    return 1;
  }
  const entries = load.value.lists.reduce((sum, l) => sum + l.list.length, 0);
  log(`warninglists: ${load.value.lists.length} lists, ${thousands(entries)} entries read in ${load.ms.toFixed(0)} ms (${load.value.errors.length} errors)`);
  const build = timed(() => createWarninglistMatcher(load.value.lists));
  const matcher = build.value;
  const heapMatcher = heapAfterGc() - heap0;
  log(`matcher built in ${build.ms.toFixed(0)} ms; heap held by lists + matcher: ${mib(heapMatcher)}`);

  const attributes = syntheticAttributes(createPrng(options.seed), options.checks, load.value.lists);
  const passes: number[] = [];
  let hits = 0;
  let flagged = 0;
  for (let pass = 0; pass < options.passes; pass++) {
    let passHits = 0;
    let passFlagged = 0;
    const t0 = process.hrtime.bigint();
    for (const attribute of attributes) {
      const found = matcher.match(attribute.type, attribute.value).length;
      passHits += found;
      if (found > 0) passFlagged++;
    }
    const ns = Number(process.hrtime.bigint() - t0);
    passes.push(ns);
    hits = passHits;
    flagged = passFlagged;
    log(`pass ${pass + 1}: ${(ns / 1e6).toFixed(0)} ms, ${thousands(Math.round((attributes.length * 1e9) / ns))} checks/s`);
  }
  const nsPerCheck = median(passes) / attributes.length;

  const galaxyLoad = timed(() => loadGalaxiesFromDir(`${options.data}/misp-galaxy`));
  const galaxyIndex = timed(() => createGalaxyIndex(galaxyLoad.value));
  const taxonomyLoad = timed(() => loadTaxonomiesFromDir(`${options.data}/misp-taxonomies`));
  const taxonomyIndex = timed(() => createTaxonomyIndex(taxonomyLoad.value.taxonomies));

  const rows: string[][] = [
    ['warninglists read + validated', `${load.value.lists.length} lists / ${thousands(entries)} entries`, `${load.ms.toFixed(0)} ms`],
    ['matcher build (all lists)', '', `${build.ms.toFixed(0)} ms`],
    ['heap held (lists + matcher)', '', mib(heapMatcher)],
    ['check cost (median of passes)', `${thousands(attributes.length)} mixed values`, `${round(nsPerCheck, 0)} ns/check`],
    ['throughput', '', `${thousands(Math.round(1e9 / nsPerCheck))} checks/s`],
    ['values on >= 1 list', `${thousands(hits)} hits`, `${round((flagged * 100) / attributes.length, 1)} %`],
    ['galaxies read + validated', `${galaxyLoad.value.galaxies.length} galaxies / ${thousands(galaxyLoad.value.clusters.length)} clusters`, `${galaxyLoad.ms.toFixed(0)} ms`],
    ['galaxy index build', '', `${galaxyIndex.ms.toFixed(0)} ms`],
    ['taxonomies read + validated', `${taxonomyLoad.value.taxonomies.length} taxonomies`, `${taxonomyLoad.ms.toFixed(0)} ms`],
    ['taxonomy index build', '', `${taxonomyIndex.ms.toFixed(0)} ms`],
  ];
  process.stdout.write(`${formatTable(['intel', 'size', 'figure'], rows)}\n`);
  if (options.json !== undefined) {
    const figures = {
      machine,
      warninglists: { lists: load.value.lists.length, entries, loadMs: round(load.ms), buildMs: round(build.ms), heapBytes: heapMatcher },
      checks: { values: attributes.length, passes: passes.map((ns) => round(ns / 1e6)), nsPerCheck: round(nsPerCheck), checksPerSecond: Math.round(1e9 / nsPerCheck), hits, flagged },
      galaxies: { galaxies: galaxyLoad.value.galaxies.length, clusters: galaxyLoad.value.clusters.length, loadMs: round(galaxyLoad.ms), indexMs: round(galaxyIndex.ms) },
      taxonomies: { taxonomies: taxonomyLoad.value.taxonomies.length, loadMs: round(taxonomyLoad.ms), indexMs: round(taxonomyIndex.ms) },
    };
    writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
    log(`figures written to ${options.json}`);
  }
  return 0;
}
