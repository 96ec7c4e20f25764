import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createCryptoPan, createFf1, generaliseTimestamp, hmacPseudonym, truncateIp } from '@waggle/privacy';
import { optionReader, parseArgs } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { formatTable, thousands } from '../lib/table.js';
import { createPrng, type Prng } from '../core/prng.js';

const USAGE = `usage: npm run bench -- privacy [--count 1m] [--seed 1] [--json <file>]
  --count  values per technique (default 1m)
  --seed   seed of the synthetic values (default 1)
  --json   also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface PrivacyOptions {
  readonly count: number;
  readonly seed: number;
  readonly json?: string;
}

function parsePrivacyOptions(argv: readonly string[]): PrivacyOptions | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const { problems, text, count } = optionReader({ positional, named }, ['count', 'seed', 'json']);
  const options = { count: count('count', 1_000_000), seed: count('seed', 1) };
  const json = text('json');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return json === undefined ? options : { ...options, json };
}

/**
 * IPv4 addresses as they appear in threat data: a few hundred busy /16s
 * (Zipf-like popularity), a few dozen /24s in each, random hosts, so most
 * addresses repeat a /16 and many a /24 seen before.
 */
function realisticIpv4(prng: Prng, n: number): string[] {
  const sixteens = Array.from({ length: 300 }, () => [prng.int(1, 223), prng.int(0, 255)] as const);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    // Squaring a uniform draw favours the first /16s, as real traffic does.
    const [a, b] = sixteens[Math.floor(prng.next() ** 2 * sixteens.length)] as readonly [number, number];
    out[i] = `${a}.${b}.${prng.int(0, 40)}.${prng.int(0, 255)}`;
  }
  return out;
}

/** IPv6 addresses in a few thousand /64s of a few hundred /48s, random interface identifiers. */
function realisticIpv6(prng: Prng, n: number): string[] {
  const nets = Array.from({ length: 2000 }, () => `2001:db8:${prng.hex(4)}:${prng.int(0, 15).toString(16)}`);
  return Array.from({ length: n }, () => `${prng.pick(nets)}:${prng.hex(4)}:${prng.hex(4)}:${prng.hex(4)}:${prng.hex(4)}`);
}

interface Measurement {
  readonly technique: string;
  readonly values: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Values per second of CPU time used by the process: steadier than wall time on a shared machine. */
  readonly perCpuSecond: number;
  readonly target?: number;
}

/** Times `fn` over every value after a short warm-up; keeps a checksum so no call can be optimised away. */
function measure(technique: string, values: readonly string[], fn: (v: string) => string, target?: number): Measurement {
  let sink = 0;
  for (let i = 0; i < Math.min(10_000, values.length); i++) sink += fn(values[i] as string).length;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const v of values) sink += fn(v).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (sink === 0) throw new Error(`${technique} produced nothing`);
  const m = { technique, values: values.length, seconds, perSecond: values.length / seconds, perCpuSecond: values.length / cpuSeconds, ...(target === undefined ? {} : { target }) };
  log(`${technique}: ${thousands(m.perSecond)} values/s (${thousands(m.perCpuSecond)} per CPU second)`);
  return m;
}

/** Like {@link measure}, for a batch function called on `size` values at a time. */
function measureBatches(technique: string, values: readonly string[], size: number, fn: (vs: readonly string[]) => string[], target?: number): Measurement {
  const chunks: string[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const c of chunks) sink += fn(c).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (sink !== values.length) throw new Error(`${technique} returned ${String(sink)} values for ${String(values.length)}`);
  const m = { technique, values: values.length, seconds, perSecond: values.length / seconds, perCpuSecond: values.length / cpuSeconds, ...(target === undefined ? {} : { target }) };
  log(`${technique}: ${thousands(m.perSecond)} values/s (${thousands(m.perCpuSecond)} per CPU second)`);
  return m;
}

/**
 * Throughput of each anonymisation technique on `--count` synthetic values:
 * HMAC pseudonyms, IP truncation, Crypto-PAn (IPv4 with and without its
 * prefix memos, IPv6), FF1 and timestamp generalisation.
 */
export async function runPrivacyBench(argv: readonly string[]): Promise<number> {
  const parsed = parsePrivacyOptions(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return parsed === USAGE ? 0 : 2;
  }
  const { count, seed } = parsed;
  const machine = machineInfo(process.cwd(), import.meta.resolve('@waggle/privacy'));
  log(describeMachine(machine));
  const prng = createPrng(seed);
  const key32 = Uint8Array.from({ length: 32 }, () => prng.int(0, 255));

  log(`generating ${thousands(count)} values per technique (seed ${seed})`);
  const emails = Array.from({ length: count }, (_, i) => `user${i}.${prng.hex(6)}@example.org`);
  const v4 = realisticIpv4(prng, count);
  const v6 = realisticIpv6(prng, count);
  const digits = Array.from({ length: count }, () => String(prng.int(1_000_000_000, 9_999_999_999)));
  const epochs = Array.from({ length: count }, () => String(prng.int(1_500_000_000, 1_800_000_000)));
  const slash24s = new Set(v4.map((ip) => ip.slice(0, ip.lastIndexOf('.')))).size;
  log(`IPv4 mix: ${thousands(new Set(v4).size)} distinct addresses in ${thousands(slash24s)} /24s of 300 /16s`);

  const results: Measurement[] = [];
  results.push(measure('HMAC-SHA-256 pseudonym (64 hex)', emails, (v) => hmacPseudonym(key32, v), 500_000));
  results.push(measure('truncate IPv4 /24', v4, (v) => truncateIp(v, 24), 500_000));
  results.push(measure('truncate IPv6 /48', v6, (v) => truncateIp(v, 48), 500_000));
  const cached = createCryptoPan(key32);
  results.push(measure('Crypto-PAn IPv4, prefix memos', v4, (v) => cached.anonymize(v), 300_000));
  // The same addresses through anonymizeMany, 1,024 per call, on a fresh instance (cold memos).
  const batched = createCryptoPan(key32);
  results.push(measureBatches('Crypto-PAn IPv4, prefix memos, batches of 1,024', v4, 1024, (vs) => batched.anonymizeMany(vs), 300_000));
  const uncached = createCryptoPan(key32, { cacheSize: 0 });
  results.push(measure('Crypto-PAn IPv4, no memo', v4, (v) => uncached.anonymize(v)));
  results.push(measure('Crypto-PAn IPv6, /64 memo', v6, (v) => cached.anonymize(v)));
  results.push(measure('Crypto-PAn IPv6, no memo', v6, (v) => uncached.anonymize(v)));
  const ff1 = createFf1(key32.subarray(0, 16), 10);
  results.push(measure('FF1 AES-128 radix 10, 10 digits', digits, (v) => ff1.encrypt(v), 20_000));
  results.push(measure('generalise timestamp to hour', epochs, (v) => generaliseTimestamp(v, 'hour')));

  const rows = results.map((m) => [
    m.technique,
    thousands(m.values),
    m.seconds.toFixed(2),
    thousands(m.perSecond),
    thousands(m.perCpuSecond),
    m.target === undefined ? '-' : thousands(m.target),
    m.target === undefined ? '-' : `${m.perSecond >= m.target ? 'yes' : 'no'}/${m.perCpuSecond >= m.target ? 'yes' : 'no'}`,
  ]);
  const load = os.loadavg()[0] ?? 0;
  const note = load > os.cpus().length ? `\nnote: load average ${load.toFixed(1)} on ${os.cpus().length} CPUs while measuring; wall-clock figures are shared with other work, "per CPU-s" counts only this process's CPU time.\n` : '';
  process.stdout.write(`\n${describeMachine(machine)}\n\n${formatTable(['technique', 'values', 'seconds', 'values/s', 'per CPU-s', 'target/s', 'met (wall/CPU)'], rows)}\n${note}`);
  if (parsed.json !== undefined) writeFileSync(parsed.json, `${JSON.stringify({ machine, count, seed, results }, null, 2)}\n`);
  return 0;
}
