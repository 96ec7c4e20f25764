import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOsvIndex, loadOsv, matchInventory, parseDpkgStatus, parseEpssCsv, parseKev } from '@waggle/inventory';
import { assessHost, parseListeningServices } from '@waggle/risk';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median, round } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';
import { createPrng } from '../core/prng.js';
import { syntheticHost } from './synthetic-host.js';

const USAGE = `usage: npm run bench -- inventory [--packages 3000] [--records 50k] [--passes 5] [--seed 1] [--json <file>]
  --packages  installed dpkg packages on the generated host (default 3000)
  --records   generated OSV records (default 50k), written to a temporary folder and loaded from disk
  --passes    timed passes of matching and assessment; the median is reported (default 5)
  --json      also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** Wall time and this process's CPU time: on a shared machine the CPU figure is the steadier one. */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

const both = (t: { ms: number; cpuMs: number }): string => `${t.ms.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`;

function parseOptions(argv: readonly string[]): { packages: number; records: number; passes: number; seed: number; json?: string } | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const problems: string[] = [];
  const unknown = [...named.keys()].filter((k) => !['packages', 'records', 'passes', 'seed', 'json'].includes(k));
  if (unknown.length > 0 || positional.length > 0) problems.push(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}`);
  const count = (name: string, fallback: number): number => {
    const v = named.get(name);
    if (v === true) problems.push(`--${name} needs a value`);
    try {
      return typeof v === 'string' ? parseCount(v, name) : fallback;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  const options = { packages: count('packages', 3000), records: count('records', 50_000), passes: count('passes', 5), seed: count('seed', 1) };
  const json = named.get('json');
  if (json === true) problems.push('--json needs a value');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return typeof json === 'string' ? { ...options, json } : options;
}

/**
 * Inventory and host-risk figures on a generated host: dpkg status parse, OSV
 * load (from disk) and index, matching (target ≤ 1 s for 3,000 packages
 * against 50,000 records) and the host assessment.
 */
export async function runInventoryBench(argv: readonly string[]): Promise<number> {
  const o = parseOptions(argv);
  if (typeof o === 'string') {
    process.stderr.write(`${o}\n`);
    return o === USAGE ? 0 : 2;
  }
  const machine = machineInfo(process.cwd());
  log(describeMachine(machine));
  const gen = timed(() => syntheticHost(createPrng(o.seed), o.packages, o.records));
  const host = gen.value;
  log(`generated ${thousands(o.packages)} packages (${thousands(host.sources)} sources) and ${thousands(o.records)} OSV records in ${gen.ms.toFixed(0)} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'waggle-inventory-bench-'));
  try {
    // 1,000 records per file, as a mirror of the OSV bucket split into files would be.
    for (let i = 0; i < host.osv.length; i += 1000) writeFileSync(join(dir, `osv-${i / 1000}.json`), JSON.stringify(host.osv.slice(i, i + 1000)));
    const dpkg = timed(() => parseDpkgStatus(host.dpkgStatus));
    const load = timed(() => loadOsv(dir));
    const index = timed(() => createOsvIndex(load.value.records));
    if (load.value.problems.length + index.value.problems.length > 0) log(`problems: ${load.value.problems.length} load, ${index.value.problems.length} index`);
    const kev = parseKev(host.kevJson).entries;
    const epss = parseEpssCsv(host.epssCsv).scores;
    const exposure = parseListeningServices(host.listeningJson);
    const matchMs: number[] = [];
    const matchCpu: number[] = [];
    const assessMs: number[] = [];
    const assessCpu: number[] = [];
    let findings = matchInventory(dpkg.value.packages, index.value, { release: 'Debian:12' });
    let risk = assessHost({ findings, kev, epss, exposure, packages: dpkg.value.packages });
    for (let pass = 0; pass < o.passes; pass++) {
      const m = timed(() => matchInventory(dpkg.value.packages, index.value, { release: 'Debian:12' }));
      findings = m.value;
      matchMs.push(m.ms);
      matchCpu.push(m.cpuMs);
      const a = timed(() => assessHost({ findings, kev, epss, exposure, packages: dpkg.value.packages }));
      risk = a.value;
      assessMs.push(a.ms);
      assessCpu.push(a.cpuMs);
      log(`pass ${pass + 1}: match ${both(m)}, assess ${both(a)}`);
    }
    const matchMedian = median(matchMs);
    const rows: string[][] = [
      ['dpkg status parse', `${thousands(dpkg.value.packages.length)} packages`, both(dpkg)],
      ['OSV load (read + JSON + validate)', `${thousands(load.value.records.length)} records / ${Math.ceil(o.records / 1000)} files`, both(load)],
      ['OSV index (versions pre-parsed)', `${thousands(index.value.size)} records`, both(index)],
      ['match (median)', `${thousands(findings.length)} findings`, `${matchMedian.toFixed(0)} ms (cpu ${median(matchCpu).toFixed(0)} ms) ${matchMedian <= 1000 ? '(target ≤ 1 s: met)' : '(target ≤ 1 s: MISSED)'}`],
      ['match, first (cold) run', '', `${round(matchMs[0] ?? 0, 0)} ms`],
      ['host assessment (median)', `${thousands(risk.vulnerabilities.length)} vulnerabilities, ${risk.patchFirst.length} upgrades`, `${median(assessMs).toFixed(0)} ms (cpu ${median(assessCpu).toFixed(0)} ms)`],
      ['host probability', '', risk.probability.toFixed(6)],
    ];
    process.stdout.write(`${formatTable(['inventory', 'size', 'figure'], rows)}\n`);
    if (o.json !== undefined) {
      const figures = {
        machine,
        packages: dpkg.value.packages.length,
        records: load.value.records.length,
        dpkgParseMs: round(dpkg.ms),
        osvLoadMs: round(load.ms),
        osvLoadCpuMs: round(load.cpuMs),
        osvIndexMs: round(index.ms),
        osvIndexCpuMs: round(index.cpuMs),
        matchMs: matchMs.map((x) => round(x)),
        matchCpuMs: matchCpu.map((x) => round(x)),
        matchMedianMs: round(matchMedian),
        findings: findings.length,
        assessMs: assessMs.map((x) => round(x)),
        assessCpuMs: assessCpu.map((x) => round(x)),
        vulnerabilities: risk.vulnerabilities.length,
        probability: risk.probability,
      };
      writeFileSync(o.json, `${JSON.stringify(figures, null, 2)}\n`);
      log(`figures written to ${o.json}`);
    }
    return matchMedian <= 1000 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
