/**
 * Host agent overhead: CPU and memory of one agent while idle and while its
 * authentication log grows at a fixed rate (default 1,000 lines/s), all
 * sources on (log tail, file integrity over a folder, /proc sockets).
 *
 *   npm run bench -- agent [--seconds 20] [--rate 1000]
 *
 * The writer runs in the same process (appending a batch every 100 ms); its
 * cost is included in the burst figures and is small next to parsing.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, createAlertReporter, parseAgentConfig } from '@waggle/agent';
import { formatTable, mib, thousands } from '../lib/table.js';

function option(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
}

interface Phase {
  readonly name: string;
  readonly cpuPercent: number;
  readonly rssMiB: number;
  readonly lines: number;
  readonly alerts: number;
}

export async function runAgentBench(argv: readonly string[]): Promise<number> {
  const seconds = option(argv, '--seconds', 20);
  const rate = option(argv, '--rate', 1000);
  const dir = mkdtempSync(join(tmpdir(), 'agent-bench-'));
  try {
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const watched = join(dir, 'etc');
    mkdirSync(watched);
    for (let i = 0; i < 200; i++) writeFileSync(join(watched, `f${String(i)}`), `content ${String(i)}\n`);
    const cfgPath = join(dir, 'agent.yaml');
    writeFileSync(cfgPath, `host: bench\nstate_dir: ${join(dir, 'state')}\nauth_logs: [${log}]\nfile_integrity: { paths: [${watched}], interval_seconds: 5 }\nsockets: { interval_seconds: 5 }\npoll_interval_ms: 250\n`);
    const config = parseAgentConfig(readFileSync(cfgPath, 'utf8'), cfgPath);
    let alerts = 0;
    // No server: alerts go to the spool only, so the figures are the agent's own work.
    const reporter = createAlertReporter({ spoolDir: join(dir, 'state', 'spool'), host: 'bench', now: () => new Date() });
    const agent = createAgent({ config, reporter, now: () => new Date(), log: () => undefined, onAlert: () => (alerts += 1) });
    agent.start();

    async function phase(name: string, linesPerSecond: number): Promise<Phase> {
      alerts = 0;
      let lines = 0;
      const writer = linesPerSecond === 0 ? undefined : setInterval(() => {
        const batch: string[] = [];
        const n = Math.round(linesPerSecond / 10);
        for (let i = 0; i < n; i++) {
          const n500 = lines % 500;
          const ip = `203.0.${String(113 + (n500 >> 8))}.${String(n500 & 255)}`;
          batch.push(`${new Date().toISOString()} bench sshd[1]: Failed password for root from ${ip} port ${String(1024 + (lines % 60000))} ssh2`);
          lines += 1;
        }
        appendFileSync(log, `${batch.join('\n')}\n`);
      }, 100);
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      let rss = 0;
      const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 200);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      if (writer !== undefined) clearInterval(writer);
      clearInterval(sampler);
      const cpu = process.cpuUsage(cpu0);
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      return { name, cpuPercent: ((cpu.user + cpu.system) / 1000 / wall) * 100, rssMiB: rss / 1024 / 1024, lines, alerts };
    }

    await new Promise((r) => setTimeout(r, 1000)); // first scans (baselines)
    const idle = await phase('idle', 0);
    const burst = await phase(`burst ${thousands(rate)} lines/s`, rate);
    await agent.stop();
    process.stdout.write(`host agent overhead, ${String(seconds)} s per phase, Node ${process.version}\n`);
    process.stdout.write(`${formatTable(['phase', 'CPU', 'peak RSS', 'lines', 'alerts'], [idle, burst].map((p) => [p.name, `${p.cpuPercent.toFixed(1)} %`, mib(p.rssMiB * 1024 * 1024), thousands(p.lines), thousands(p.alerts)]))}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

