import { randomBytes } from 'node:crypto';
import { createAnonymizer, createMemoryKeyStore, defaultPolicy } from '@waggle/privacy';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- anonymizer [--sizes 10,1000,10000] [--runs 20] [--seed 1]
  --sizes  attributes per event, comma-separated (default 10,1000,10000)
  --runs   timed runs per size after two warm-up runs (default 20)
  --seed   workload seed (default 1)`;

interface Options {
  readonly sizes: readonly number[];
  readonly runs: number;
  readonly seed: number;
}

function parseOptions(argv: readonly string[]): Options | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const problems: string[] = [];
  const unknown = [...named.keys()].filter((k) => !['sizes', 'runs', 'seed'].includes(k));
  if (unknown.length > 0 || positional.length > 0) problems.push(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}`);
  const count = (name: string, value: string | true | undefined, fallback: number): number => {
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
  const sizesText = named.get('sizes');
  const sizes = sizesText === undefined || sizesText === true ? [10, 1000, 10_000] : sizesText.split(',').map((s) => count('sizes', s, 10));
  if (sizesText === true) problems.push('--sizes needs a value');
  const options = { sizes, runs: count('runs', named.get('runs'), 20), seed: count('seed', named.get('seed'), 1) };
  return problems.length > 0 ? `${problems.join('\n')}\n\n${USAGE}` : options;
}

/** A small deterministic generator (mulberry32), so every run sees the same events. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type J = Record<string, unknown>;

/**
 * A type mix seen in intrusion reports: addresses (a third internal), domains,
 * URLs, hashes and file names, host names (some internal), e-mail addresses,
 * victim users, free text and comments; one attribute in ten sits in a
 * two-attribute `file` or `email` object.
 */
export function syntheticEvent(seed: number, size: number): { Event: J } {
  const rnd = prng(seed * 7919 + size);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (n: number): number => Math.floor(rnd() * n);
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  const ip = (internal: boolean): string => (internal ? `10.${int(256)}.${int(256)}.${int(256)}` : `${1 + int(223)}.${int(256)}.${int(256)}.${int(256)}`);
  const word = (): string => pick(['alpha', 'bravo', 'delta', 'kilo', 'lima', 'oscar', 'sierra', 'tango', 'zulu']);
  const makers: [number, () => [string, string]][] = [
    [20, () => ['ip-dst', ip(rnd() < 0.33)]],
    [8, () => ['ip-src', ip(rnd() < 0.5)]],
    [4, () => ['ip-dst|port', `${ip(rnd() < 0.3)}|${int(65536)}`]],
    [14, () => ['domain', `${word()}${int(1000)}.${pick(['com', 'net', 'top', 'xyz'])}`]],
    [8, () => ['url', `https://${word()}${int(1000)}.com/${word()}/${hex(8)}.php`]],
    [6, () => ['hostname', rnd() < 0.3 ? `ws-${int(999)}.corp.local` : `${word()}.${word()}${int(99)}.net`]],
    [10, () => ['sha256', hex(64)]],
    [5, () => ['md5', hex(32)]],
    [5, () => ['filename|sha256', `${word()}_${int(99)}.exe|${hex(64)}`]],
    [3, () => ['email-dst', `${word()}.${word()}@victim.example`]],
    [2, () => ['email-src', `${word()}@${word()}${int(99)}.top`]],
    [2, () => ['target-user', `${word()}.${word()}`]],
    [1, () => ['target-machine', `WS-${int(9999)}`]],
    [4, () => ['text', `note ${word()} ${word()} ${int(100000)}`]],
    [2, () => ['vulnerability', `CVE-20${10 + int(16)}-${1000 + int(90000)}`]],
    [2, () => ['user-agent', `Mozilla/5.0 (${word()}) ${hex(6)}`]],
    [2, () => ['mutex', `Global\\${hex(12)}`]],
    [2, () => ['regkey', `HKLM\\Software\\${word()}\\${hex(6)}`]],
  ];
  const total = makers.reduce((n, [w]) => n + w, 0);
  const one = (i: number): J => {
    let r = rnd() * total;
    let make = makers[0]?.[1] as () => [string, string];
    for (const [w, m] of makers) {
      if (r < w) {
        make = m;
        break;
      }
      r -= w;
    }
    const [type, value] = make();
    return { uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type, category: 'Network activity', value, to_ids: rnd() < 0.5, distribution: '5', comment: rnd() < 0.1 ? `seen on ${word()}` : '', Tag: [] };
  };
  const inObjects = Math.floor(size / 10 / 2) * 2;
  const loose = Array.from({ length: size - inObjects }, (_, i) => one(i));
  const objects = Array.from({ length: inObjects / 2 }, (_, k) => {
    const base = size + k * 2;
    return rnd() < 0.5
      ? { name: 'file', uuid: `10000000-0000-4000-8000-${String(k).padStart(12, '0')}`, Attribute: [{ ...one(base), type: 'filename', value: `${word()}.dll`, object_relation: 'filename' }, { ...one(base + 1), type: 'sha256', value: hex(64), object_relation: 'sha256' }], ObjectReference: [] }
      : { name: 'email', uuid: `10000000-0000-4000-8000-${String(k).padStart(12, '0')}`, Attribute: [{ ...one(base), type: 'email-src', value: `${word()}@${word()}.top`, object_relation: 'from' }, { ...one(base + 1), type: 'email-dst', value: `${word()}@victim.example`, object_relation: 'to' }], ObjectReference: [] };
  });
  return {
    Event: {
      uuid: `20000000-0000-4000-8000-${String(size).padStart(12, '0')}`,
      info: 'Synthetic intrusion',
      date: '2026-03-04',
      timestamp: '1772600000',
      Orgc: { id: '1', name: 'Victim CERT', uuid: '30000000-0000-4000-8000-000000000001' },
      Tag: [{ name: 'tlp:amber' }, { name: 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"' }],
      Attribute: loose,
      Object: objects,
    },
  };
}

/**
 * Whole-event anonymisation latency under the built-in policy: for each size,
 * two warm-up runs, then `runs` timed runs of `anonymizeEvent` (clone,
 * rules, techniques, anonymisation object) with p50/p95 and attributes/s at
 * the median, and the CPU time (user + system) per run. Crypto-PAn memos
 * stay warm across runs, as in a server.
 */
export async function runAnonymizerBench(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n`);
    return options === USAGE ? 0 : 2;
  }
  const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
  keys.add('community');
  const policy = defaultPolicy();
  const anonymizer = createAnonymizer({ keys, now: () => new Date() });
  const rows: string[][] = [];
  for (const size of options.sizes) {
    const event = syntheticEvent(options.seed, size);
    let suppressed = 0;
    let transformed = 0;
    for (let i = 0; i < 2; i++) anonymizer.anonymizeEvent(event, policy, 'default');
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const { report } = anonymizer.anonymizeEvent(event, policy, 'default');
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      suppressed = report.attributes.suppressed;
      transformed = report.attributes.transformed;
    }
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${thousands(size)} attributes: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms\n`);
    const cpu50 = percentile(cpu, 50);
    rows.push([thousands(size), String(options.runs), p50.toFixed(2), p95.toFixed(2), cpu50.toFixed(2), thousands(Math.round(size / (p50 / 1000))), thousands(transformed), thousands(suppressed)]);
  }
  // CPU time beside wall time: on a shared machine the wall clock also
  // counts the time other processes held the cores.
  const table = formatTable(['attributes', 'runs', 'p50 ms', 'p95 ms', 'CPU p50 ms', 'attributes/s (p50)', 'transformed', 'suppressed'], rows);
  process.stdout.write(`${describeMachine(machineInfo(process.cwd()))}\n\npolicy: built-in default (Crypto-PAn + HMAC-SHA-256 under one key)\n\n${table}\n`);
  return 0;
}
