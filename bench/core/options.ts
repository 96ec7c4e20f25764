import { parseArgs, parseCount } from '../lib/args.js';
import type { Engine } from './environment.js';

/** Options of the core benchmark. */
export interface CoreOptions {
  /** Data set sizes to run, in attributes (two with --scaling). */
  readonly sizes: readonly number[];
  readonly engines: readonly Engine[];
  readonly concurrency: number;
  readonly seed: number;
  readonly lookups: number;
  readonly postgresUrl: string;
  readonly outDir: string;
  /** Time budget of the ingest with correlation (minutes); unlimited when undefined. */
  readonly maxIngestMinutes?: number;
  /** Run ANALYZE after the ingest, before the queries. */
  readonly analyze: boolean;
  /** Server and HTTP clients in this one process (runs 1–6), instead of the server in a child process. */
  readonly inProcess: boolean;
  /** Only the ingest with correlation (no queries, no ingest without correlation): the quick way to compare write-path changes. */
  readonly ingestOnly: boolean;
  /**
   * The number of events the attributes are spread over, or
   * `'log-uniform'` for runs 1–10's shape; undefined: one event per 100 attributes (the issue's workload).
   */
  readonly events?: number | 'log-uniform';
  readonly help: boolean;
}

/** Usage text of `npm run bench -- core`. */
export const CORE_USAGE = `usage: npm run bench -- core [options]

  --attributes N        attributes to ingest (default 1000000; accepts 100k, 1m)
  --engine E            sqlite | postgres | both (default both)
  --scaling             run at 100k and 1M attributes and compare (not with --attributes)
  --concurrency N       parallel ingest clients (default 3)
  --seed N              workload seed (default 1)
  --lookups N           value lookups to time (default 500)
  --postgres-url URL    server to create the scratch database on
                        (default $WAGGLE_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/test)
  --out DIR             where JSON results go (default bench/out)
  --max-ingest-minutes M  stop the ingest with correlation after M minutes and report
                        the partial rate (queries then run on the database without correlation)
  --analyze             run ANALYZE between ingest and queries (planner statistics);
                        results go to core-<engine>-<attrs>-analyze.json
  --in-process          run waggle in the benchmark's own process (server and HTTP
                        clients on one thread, as runs 1-6 did); by default it runs
                        in a child process, as waggle serve would
  --events N            events the attributes are spread over (default: one per
                        100 attributes, i.e. 10,000 at 1M as the issue specifies;
                        sizes 10-10,000 on a bounded power law with that mean);
                        "log-uniform" gives runs 1-10's shape (645 events at 1M)
  --ingest-only         only the ingest with correlation (rate, rate per tenth,
                        storage); skips the queries and the ingest without
                        correlation`;

const FLAGS = new Set(['scaling', 'analyze', 'in-process', 'ingest-only', 'help']);
const KNOWN = new Set(['attributes', 'engine', 'scaling', 'concurrency', 'seed', 'lookups', 'postgres-url', 'out', 'max-ingest-minutes', 'analyze', 'in-process', 'ingest-only', 'events', 'help']);

/** Parses and checks the options; every problem is reported at once. */
export function parseCoreOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CoreOptions {
  const { positional, named } = parseArgs(argv, FLAGS);
  const problems: string[] = [];
  for (const [name, value] of named) {
    if (!KNOWN.has(name)) problems.push(`unknown option --${name}`);
    else if (value === true && !FLAGS.has(name)) problems.push(`--${name} needs a value`);
  }
  if (positional.length > 0) problems.push(`unexpected argument(s): ${positional.join(' ')}`);
  const text = (name: string): string | undefined => {
    const v = named.get(name);
    return v === true ? undefined : v;
  };
  const count = (name: string, fallback: number): number => {
    const v = text(name);
    if (v === undefined) return fallback;
    try {
      return parseCount(v, name);
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };
  const scaling = named.get('scaling') === true;
  if (scaling && named.has('attributes')) problems.push('--scaling runs 100k and 1M; leave out --attributes');
  const engineText = text('engine') ?? 'both';
  const engines: Engine[] = engineText === 'both' ? ['sqlite', 'postgres'] : engineText === 'sqlite' || engineText === 'postgres' ? [engineText] : [];
  if (engines.length === 0) problems.push(`--engine must be sqlite, postgres or both, got "${engineText}"`);
  const concurrency = count('concurrency', 3);
  if (concurrency > 16) problems.push('--concurrency must be at most 16');
  const seed = Number(text('seed') ?? '1');
  if (!Number.isSafeInteger(seed)) problems.push('--seed must be an integer');
  const maxMinutes = named.has('max-ingest-minutes') ? count('max-ingest-minutes', 0) : undefined;
  const attributes = count('attributes', 1_000_000);
  const lookups = count('lookups', 500);
  const eventsText = text('events');
  let events: number | 'log-uniform' | undefined;
  if (eventsText === 'log-uniform') events = 'log-uniform';
  else if (eventsText !== undefined) events = count('events', 1);
  if (scaling && typeof events === 'number') problems.push('--scaling runs 100k and 1M; a fixed --events fits only one of them');
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\n${CORE_USAGE}`);
  return {
    sizes: scaling ? [100_000, 1_000_000] : [attributes],
    engines,
    concurrency,
    seed,
    lookups,
    postgresUrl: text('postgres-url') ?? env.WAGGLE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    outDir: text('out') ?? 'bench/out',
    ...(maxMinutes !== undefined ? { maxIngestMinutes: maxMinutes } : {}),
    analyze: named.get('analyze') === true,
    inProcess: named.get('in-process') === true,
    ingestOnly: named.get('ingest-only') === true,
    ...(events !== undefined ? { events } : {}),
    help: named.get('help') === true,
  };
}
