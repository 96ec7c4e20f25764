import { eventToStix, stixToEvents, type StixBundle } from '@waggle/stix';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { formatTable, mib, thousands } from '../lib/table.js';
import { syntheticEvent } from './synthetic-events.js';

const USAGE = `usage: npm run bench -- stix [--events 1000] [--attributes 100] [--seed 1]
  --events      synthetic MISP events to convert (default 1000)
  --attributes  attributes per event (default 100; every tenth becomes a two-attribute file object)
  --seed        workload seed (default 1)`;

interface StixOptions {
  readonly events: number;
  readonly attributes: number;
  readonly seed: number;
}

function parseStixOptions(argv: readonly string[]): StixOptions | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const problems: string[] = [];
  const unknown = [...named.keys()].filter((k) => !['events', 'attributes', 'seed'].includes(k));
  if (unknown.length > 0 || positional.length > 0) problems.push(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}`);
  const count = (name: string, fallback: number): number => {
    const value = named.get(name);
    if (value === undefined) return fallback;
    if (value === true) {
      problems.push(`--${name} needs a value`);
      return fallback;
    }
    try {
      return parseCount(value, name);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  const options = { events: count('events', 1000), attributes: count('attributes', 100), seed: count('seed', 1) };
  return problems.length > 0 ? `${problems.join('\n')}\n\n${USAGE}` : options;
}

interface Phase {
  readonly seconds: number;
  readonly objects: number;
}

/**
 * Benchmark of `@waggle/stix`: converts synthetic events to STIX bundles and
 * the bundles back to events, and reports objects/s each way and the peak RSS.
 * RSS is sampled after every event, because conversion is synchronous and a
 * timer would never fire; the kernel high-water mark is shown beside it.
 */
export async function runStixBench(argv: readonly string[]): Promise<number> {
  const options = parseStixOptions(argv);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return options === USAGE ? 0 : 2;
  }
  const log = (msg: string): void => {
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  };
  let peak = process.memoryUsage.rss();
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  log(`generating ${thousands(options.events)} events × ${thousands(options.attributes)} attributes (seed ${options.seed})`);
  const events = Array.from({ length: options.events }, (_, i) => syntheticEvent(options.seed, i, options.attributes));
  sample();
  const bundles: StixBundle[] = [];
  let t0 = performance.now();
  for (const event of events) {
    bundles.push(eventToStix(event));
    sample();
  }
  const exported: Phase = { seconds: (performance.now() - t0) / 1000, objects: bundles.reduce((n, b) => n + b.objects.length, 0) };
  log(`export: ${thousands(exported.objects)} STIX objects in ${exported.seconds.toFixed(2)} s`);
  let attributes = 0;
  let warnings = 0;
  t0 = performance.now();
  for (const bundle of bundles) {
    const result = stixToEvents(bundle);
    for (const e of result.events) attributes += e.Attribute.length + e.Object.reduce((n, o) => n + o.Attribute.length, 0);
    warnings += result.warnings.length;
    sample();
  }
  const imported: Phase = { seconds: (performance.now() - t0) / 1000, objects: exported.objects };
  log(`import: ${thousands(imported.objects)} STIX objects in ${imported.seconds.toFixed(2)} s (${thousands(attributes)} attributes, ${warnings} warnings)`);
  const expected = options.events * options.attributes + Math.floor(options.attributes / 10) * options.events;
  const rate = (p: Phase): string => thousands(Math.round(p.objects / p.seconds));
  const table = formatTable(['phase', 'events', 'STIX objects', 'seconds', 'objects/s'], [
    ['export MISP → STIX', thousands(options.events), thousands(exported.objects), exported.seconds.toFixed(2), rate(exported)],
    ['import STIX → MISP', thousands(bundles.length), thousands(imported.objects), imported.seconds.toFixed(2), rate(imported)],
  ]);
  process.stdout.write(`${describeMachine(machineInfo(process.cwd()))}\n\n${table}\n\npeak RSS ${mib(peak)} (sampled per event); kernel max RSS ${mib(process.resourceUsage().maxRSS * 1024)}\n`);
  if (attributes !== expected) {
    process.stderr.write(`round trip gave ${thousands(attributes)} attributes, expected ${thousands(expected)}\n`);
    return 1;
  }
  return 0;
}
