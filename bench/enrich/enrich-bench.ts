import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWarninglistMatcher, loadGalaxiesFromDir, loadWarninglistsFromDir } from '@waggle/intel';
import {
  ATTACK_TYPE_TECHNIQUES, createAsnModule, createCveModule, createGalaxyContextModule, createGeolocationModule, createIpLocationDb, createModuleRegistry,
  createNodeReverseResolver, createReverseDnsModule, createVulnerabilitySource, createWarninglistModule, installedIpLocationFiles, ipv4Text, ipv6Text,
  reverseName, startMispModulesServer, type EnrichAttribute, type EnrichmentModule, type IpLocationFiles,
} from '@waggle/enrich';
import type { KevEntry, OsvRecord } from '@waggle/inventory';
import { startDnsServer } from '../../packages/enrich/src/test-support/dns-server.js';
import { optionReader, parseArgs } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { percentile, round } from '../lib/stats.js';
import { formatTable, mib, thousands } from '../lib/table.js';
import { createPrng } from '../core/prng.js';

const USAGE = `usage: npm run bench -- enrich [--queries 20k] [--network-queries 2000] [--seed 1] [--data <dir>] [--json <file>]
  --queries          attributes enriched per in-process module (default 20k)
  --network-queries  queries for reverse DNS (loopback UDP server) and misp-modules HTTP (default 2000)
  --data             folder holding misp-warninglists/ and misp-galaxy/ (default ../shared/data from the repo)
  --json             also write the figures as JSON to this file`;

const DEFAULT_DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface Options { readonly queries: number; readonly networkQueries: number; readonly seed: number; readonly data: string; readonly json?: string }

function parseOptions(argv: readonly string[]): Options | string {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) return USAGE;
  const { problems, text, count } = optionReader({ positional, named }, ['queries', 'network-queries', 'seed', 'data', 'json']);
  const options = { queries: count('queries', 20_000), networkQueries: count('network-queries', 2000), seed: count('seed', 1), data: text('data') ?? DEFAULT_DATA };
  const json = text('json');
  if (problems.length > 0) return `${problems.join('\n')}\n\n${USAGE}`;
  return json === undefined ? options : { ...options, json };
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
}

interface Latency { readonly module: string; readonly n: number; readonly p50Us: number; readonly p99Us: number; readonly perSecond: number }

async function measure(module: string, run: (a: EnrichAttribute) => Promise<unknown>, inputs: readonly EnrichAttribute[]): Promise<Latency> {
  for (const a of inputs.slice(0, Math.min(200, inputs.length))) await run(a);
  const samples: number[] = [];
  const t0 = performance.now();
  for (const a of inputs) {
    const t = performance.now();
    await run(a);
    samples.push((performance.now() - t) * 1000);
  }
  const total = performance.now() - t0;
  return { module, n: inputs.length, p50Us: round(percentile(samples, 50), 1), p99Us: round(percentile(samples, 99), 1), perSecond: Math.round(inputs.length / (total / 1000)) };
}

/** Per-module enrichment latency, IP database load time and memory, and the misp-modules HTTP round trip. */
export async function runEnrichBench(argv: readonly string[]): Promise<number> {
  const parsed = parseOptions(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`${parsed}\n`);
    return parsed === USAGE ? 0 : 2;
  }
  const o = parsed;
  log(describeMachine(machineInfo(process.cwd())));
  const rand = createPrng(o.seed);
  const int = (n: number): number => rand.int(0, n - 1);

  // 1. IP databases: load time and memory per table.
  const files = installedIpLocationFiles();
  const loads: { table: string; rows: number; ms: number; bytes: number }[] = [];
  // Each table stays referenced until the end, so no measurement sees an earlier one being freed.
  const keep: unknown[] = [];
  for (const table of ['asnIpv4', 'asnIpv6', 'countryIpv4', 'countryIpv6'] as const) {
    const before = heapAfterGc();
    const t = performance.now();
    const db = createIpLocationDb({ [table]: files[table] } as IpLocationFiles);
    db.loadAll();
    const ms = performance.now() - t;
    keep.push(db);
    loads.push({ table, rows: db.loaded()[table] ?? 0, ms: Math.round(ms), bytes: heapAfterGc() - before });
    log(`loaded ${table}: ${thousands(db.loaded()[table] ?? 0)} segments in ${String(Math.round(ms))} ms`);
  }
  keep.length = 0;
  const db = createIpLocationDb(files);
  db.loadAll();

  // 2. In-process modules.
  const v4 = Array.from({ length: o.queries }, (): EnrichAttribute => ({ type: 'ip-dst', value: ipv4Text(((1 + int(223)) * 2 ** 24 + int(2 ** 24)) >>> 0) }));
  const v6 = Array.from({ length: o.queries }, (): EnrichAttribute => ({ type: 'ip-src', value: ipv6Text((0x2000n + BigInt(int(0x1000))) << 112n | (BigInt(int(2 ** 48)) << 64n)) }));
  const wlT = performance.now();
  const wl = loadWarninglistsFromDir(`${o.data}/misp-warninglists`);
  const matcher = createWarninglistMatcher(wl.lists, { warningForAll: true });
  const wlMs = Math.round(performance.now() - wlT);
  const galT = performance.now();
  const galaxies = loadGalaxiesFromDir(`${o.data}/misp-galaxy`);
  const galaxy = createGalaxyContextModule({ galaxies });
  const galMs = Math.round(performance.now() - galT);
  const cves = Array.from({ length: 50_000 }, (_, i) => `CVE-20${String(10 + (i % 15))}-${String(10000 + i)}`);
  const osv: OsvRecord[] = cves.map((id) => ({ id, modified: '2026-01-01T00:00:00Z', aliases: [], related: [], summary: `synthetic ${id}`, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [], references: [] }));
  const kev = new Map<string, KevEntry>(cves.filter((_, i) => i % 20 === 0).map((cveID) => [cveID, { cveID, vendorProject: 'x', product: 'y', dateAdded: '2026-01-01', knownRansomwareCampaignUse: 'Unknown' }]));
  const cve = createCveModule({ source: createVulnerabilitySource({ osv, kev: { entries: kev, problems: [] }, epss: { scores: new Map(cves.map((c) => [c, { epss: 0.1, percentile: 0.5 }])) } }) });
  const attackTypes = Object.keys(ATTACK_TYPE_TECHNIQUES);
  const actors = ['APT28', 'Fancy Bear', 'Lazarus Group', 'APT29', 'Turla', 'Sandworm', 'unknown actor'];
  const run = (m: EnrichmentModule) => (a: EnrichAttribute) => m.enrich(a, {});
  const results: Latency[] = [];
  results.push(await measure('asn (IPv4)', run(createAsnModule({ db })), v4));
  results.push(await measure('asn (IPv6)', run(createAsnModule({ db })), v6));
  results.push(await measure('geolocation (IPv4)', run(createGeolocationModule({ db })), v4));
  results.push(await measure('warninglists (IPv4, all lists)', run(createWarninglistModule({ matcher })), v4));
  results.push(await measure('galaxy-context (attack types)', run(galaxy), Array.from({ length: o.queries }, () => ({ type: 'text', value: attackTypes[int(attackTypes.length)] as string }))));
  results.push(await measure('galaxy-context (actors)', run(galaxy), Array.from({ length: o.queries }, () => ({ type: 'threat-actor', value: actors[int(actors.length)] as string }))));
  results.push(await measure('cve (50k CVEs)', run(cve), Array.from({ length: o.queries }, () => ({ type: 'vulnerability', value: cves[int(cves.length)] as string }))));
  log('in-process modules done');

  // 3. Over the network: reverse DNS against a loopback UDP server, and misp-modules HTTP.
  const net = v4.slice(0, o.networkQueries);
  const dns = await startDnsServer(Object.fromEntries(net.map((a) => [reverseName(a.value), [`host-${a.value.replace(/\./g, '-')}.example.`]])));
  try {
    const rdns = createReverseDnsModule({ resolver: createNodeReverseResolver({ servers: [dns.address], timeoutMs: 2000 }) });
    results.push(await measure('reverse-dns (loopback UDP server)', run(rdns), net));
  } finally {
    await dns.close();
  }
  const registry = createModuleRegistry([createAsnModule({ db }), createGeolocationModule({ db })]);
  const server = await startMispModulesServer({ registry, host: '127.0.0.1', port: 0 });
  try {
    const http = (a: EnrichAttribute) => fetch(`${server.url}/query`, { method: 'POST', body: JSON.stringify({ module: 'asn', attribute: { type: a.type, value: a.value } }) }).then((r) => r.json());
    results.push(await measure('misp-modules HTTP POST /query (asn)', http, net));
  } finally {
    await server.close();
  }

  process.stdout.write(`\nIP databases (ip-location-db, loaded into typed arrays)\n${formatTable(['table', 'segments', 'load ms', 'typed arrays', 'heap delta after GC'], loads.map((l) => [l.table, thousands(l.rows), String(l.ms), mib(l.rows * (l.table.endsWith('6') ? 40 : 16)), mib(l.bytes)]))}\n`);
  process.stdout.write(`warninglists: ${String(wl.lists.length)} lists loaded + indexed in ${String(wlMs)} ms; galaxies: ${thousands(galaxies.clusters.length)} clusters in ${String(galMs)} ms\n`);
  process.stdout.write(`\nLatency per attribute\n${formatTable(['module', 'n', 'p50 µs', 'p99 µs', 'per s'], results.map((r) => [r.module, thousands(r.n), String(r.p50Us), String(r.p99Us), thousands(r.perSecond)]))}\n`);
  if (o.json !== undefined) writeFileSync(o.json, JSON.stringify({ loads, warninglists: { lists: wl.lists.length, ms: wlMs }, galaxies: { clusters: galaxies.clusters.length, ms: galMs }, results }, null, 2));
  return 0;
}
