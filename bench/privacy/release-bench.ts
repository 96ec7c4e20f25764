import { writeFileSync } from 'node:fs';
import { anonymizeTable, cryptoRandomSource, sampleDiscreteGaussian, sampleDiscreteLaplace, seededRandomSource, type QiSpec, type RandomSource } from '@waggle/privacy';
import { optionReader, parseArgs } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { formatTable, thousands } from '../lib/table.js';
import { createPrng, type Prng } from '../core/prng.js';

const USAGE = `usage: npm run bench -- <area> [--samples 200k] [--rows 100k] [--k 10] [--l 3] [--seed 1] [--json <file>]
  --samples  noise samples per sampler and scale (default 200k)
  --rows     synthetic honeypot sessions anonymised with Mondrian (default 100k)
  --k, --l   k-anonymity and distinct l-diversity of the Mondrian run (default 10 and 3)
  --seed     seed of the synthetic sessions (default 1)
  --json     also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface ReleaseOptions {
  readonly samples: number;
  readonly rows: number;
  readonly k: number;
  readonly l: number;
  readonly seed: number;
  readonly json?: string;
}

function parseReleaseOptions(argv: readonly string[]): ReleaseOptions | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const { problems, text, count } = optionReader({ positional, named }, ['samples', 'rows', 'k', 'l', 'seed', 'json']);
  const options = { samples: count('samples', 200_000), rows: count('rows', 100_000), k: count('k', 10), l: count('l', 3), seed: count('seed', 1) };
  if (options.k < 2) problems.push('--k must be at least 2');
  const json = text('json');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return json === undefined ? options : { ...options, json };
}

const COUNTRIES = ['DE', 'FR', 'NL', 'US', 'CN', 'RU', 'BR', 'VN', 'IN', 'KR'];
const ATTACKS = ['bruteforce', 'malware-drop', 'recon', 'cryptominer', 'botnet-join'];

/** Synthetic honeypot sessions: a few busy /16s, a month of start times, skewed durations. */
function sessions(prng: Prng, n: number): Record<string, unknown>[] {
  const start = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    session_id: `s-${i}`,
    src_ip: `${prng.pick([45, 103, 185, 193])}.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(1, 254)}`,
    country: prng.pick(COUNTRIES),
    asn: 64_500 + prng.int(0, 200),
    start_time: new Date(start + prng.int(0, 30 * 86_400) * 1000).toISOString(),
    duration: Math.floor(prng.next() ** 3 * 3600),
    attack_type: prng.pick(ATTACKS),
  }));
}

function rate(n: number, ms: number): number {
  return Math.round((n * 1000) / ms);
}

function sampleRate(n: number, random: RandomSource, draw: (r: RandomSource) => bigint): { perSecond: number; ms: number } {
  const t0 = performance.now();
  let sink = 0n;
  for (let i = 0; i < n; i++) sink ^= draw(random);
  const ms = performance.now() - t0;
  if (sink === -1n) log('unreachable'); // keeps the loop from being optimised away
  return { perSecond: rate(n, ms), ms };
}

/**
 * Release figures: exact discrete Laplace / Gaussian samples per second (from
 * the OS CSPRNG and from the seeded SHA-256 source), and strict Mondrian with
 * l-diversity on synthetic honeypot sessions.
 */
export async function runReleaseBench(argv: readonly string[]): Promise<number> {
  const parsed = parseReleaseOptions(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return parsed === USAGE ? 0 : 2;
  }
  const o = parsed;
  log(describeMachine(machineInfo(process.cwd())));

  const samplers: { name: string; draw: (r: RandomSource) => bigint }[] = [
    { name: 'discrete Laplace, ε = 1 (scale 1)', draw: (r) => sampleDiscreteLaplace('1', r) },
    { name: 'discrete Laplace, ε = 0.1 (scale 10)', draw: (r) => sampleDiscreteLaplace('10', r) },
    { name: 'discrete Laplace, ε = 1/3, Δ = 2 (scale 6)', draw: (r) => sampleDiscreteLaplace('6', r) },
    { name: 'discrete Gaussian, σ² = 100', draw: (r) => sampleDiscreteGaussian('100', r) },
  ];
  const noise: { sampler: string; source: string; perSecond: number }[] = [];
  for (const s of o.samples > 1 ? samplers : []) {
    for (const [source, random] of [['node:crypto', cryptoRandomSource()], ['seeded SHA-256', seededRandomSource('bench')]] as const) {
      const r = sampleRate(o.samples, random, s.draw);
      noise.push({ sampler: s.name, source, perSecond: r.perSecond });
      log(`${s.name}, ${source}: ${thousands(r.perSecond)} samples/s`);
    }
  }

  const table = sessions(createPrng(o.seed), o.rows);
  const qis: QiSpec[] = [
    { column: 'src_ip', kind: 'ip' },
    { column: 'country', kind: 'categorical' },
    { column: 'asn', kind: 'numeric' },
    { column: 'start_time', kind: 'timestamp' },
    { column: 'duration', kind: 'numeric' },
  ];
  const runs: { spec: string; ms: number; rowsPerSecond: number; classes: number; suppressed: number; ncp: number }[] = [];
  for (const [label, spec] of [
    [`k = ${o.k}`, { quasiIdentifiers: qis, k: o.k, suppress: ['session_id'] }],
    [`k = ${o.k}, distinct l = ${o.l}`, { quasiIdentifiers: qis, k: o.k, sensitive: 'attack_type', l: o.l, suppress: ['session_id'] }],
    [`k = ${o.k}, entropy l = ${o.l}`, { quasiIdentifiers: qis, k: o.k, sensitive: 'attack_type', l: o.l, diversity: 'entropy' as const, suppress: ['session_id'] }],
  ] as const) {
    const t0 = performance.now();
    const r = anonymizeTable(table, spec);
    const ms = performance.now() - t0;
    runs.push({ spec: label, ms, rowsPerSecond: rate(o.rows, ms), classes: r.classes, suppressed: r.suppressedRows, ncp: r.ncp });
    log(`Mondrian ${label} on ${thousands(o.rows)} rows: ${ms.toFixed(0)} ms, ${thousands(r.classes)} classes, NCP ${r.ncp.toFixed(3)}`);
  }

  process.stdout.write(`\n${formatTable(['sampler', 'randomness', 'samples/s'], noise.map((n) => [n.sampler, n.source, thousands(n.perSecond)]))}\n\n`);
  process.stdout.write(
    `${formatTable(
      ['Mondrian', 'rows', 'time', 'rows/s', 'classes', 'suppressed', 'NCP'],
      runs.map((r) => [r.spec, thousands(o.rows), `${r.ms.toFixed(0)} ms`, thousands(r.rowsPerSecond), thousands(r.classes), thousands(r.suppressed), r.ncp.toFixed(3)]),
    )}\n`,
  );
  if (o.json !== undefined) writeFileSync(o.json, `${JSON.stringify({ options: o, noise, mondrian: runs }, null, 2)}\n`);
  return 0;
}
