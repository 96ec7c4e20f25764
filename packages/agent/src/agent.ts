import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDpkgStatus, type InstalledPackage } from '@waggle/inventory';
import { readProcListeners } from '@waggle/risk';
import type { AgentConfig } from './config/agent-config.js';
import type { AlertReporter } from './report/alert-reporter.js';
import type { DecoyResponder, ResponseAction } from './response/decoy-responder.js';
import type { Alert } from './rules/alert.js';
import { packageChanges } from './rules/package-changes.js';
import { createRuleEngine } from './rules/rule-engine.js';
import { parseJournalLine, parseSyslogLine, type HostEvent } from './sources/auth-line.js';
import { diffBaselines, scanPaths, type Baseline } from './sources/file-integrity.js';
import { scanProcesses } from './sources/processes.js';
import { tailFile, type FileTail, type TailPosition, type TailStatus } from './sources/file-tail.js';

/** What the agent is wired with (the CLI builds it). */
export interface AgentDeps {
  readonly config: AgentConfig;
  readonly reporter: AlertReporter;
  readonly responder?: DecoyResponder;
  readonly now: () => Date;
  readonly log: (message: string) => void;
  /** Told about every alert and what the responder did. */
  readonly onAlert?: (alert: Alert, actions: readonly ResponseAction[]) => void;
}

/** What the agent watches, how that goes, and what it cannot see. */
export interface AgentStatus {
  readonly sources: Record<string, string>;
  readonly limitations: readonly string[];
  readonly alerts: number;
  readonly spooled: number;
}

/** The running agent. */
export interface Agent {
  /** One round: read new log lines, rescan what is due, respond, spool, send. */
  tick(): Promise<Alert[]>;
  start(): void;
  stop(): Promise<void>;
  status(): AgentStatus;
}

function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * What an agent with the current privileges cannot watch, said plainly
 * (unreadable logs, other users' processes, ports below 1024, firewall rules).
 */
export function privilegeLimitations(config: AgentConfig, uid: number | undefined): string[] {
  const out: string[] = [];
  for (const f of [...config.authLogs, ...config.journalFiles, ...config.firewallLogs]) {
    try {
      accessSync(f, constants.R_OK);
    } catch (e) {
      out.push(`${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist (yet); it is retried' : 'not readable by this user (add it to the adm group or run as root)'}`);
    }
  }
  if (uid !== 0) {
    if (config.sockets !== undefined) out.push("not root: listening sockets of other users' processes are seen, but not which process owns them");
    if (config.fileIntegrity !== undefined) out.push('not root: files only root can read (e.g. /etc/shadow) are checked by metadata, not content');
    if (config.decoys.enabled && config.decoys.ports.some((r) => r.from < 1024)) out.push('not root: decoys cannot listen on ports below 1024');
    if (config.decoys.redirect === 'on') out.push('not root: redirects (nftables) will fail; use redirect: dry-run');
  }
  return out;
}

/** Builds the agent over its sources, rules, responder and reporter. */
export function createAgent(deps: AgentDeps): Agent {
  const { config, reporter, log } = deps;
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const rules = createRuleEngine(config.rules);
  const sources: Record<string, string> = {};
  const pending: Alert[] = [];
  let alertCount = 0;
  const onStatus = (s: TailStatus): void => {
    const text = s.state === 'missing' || s.state === 'unreadable' ? `${s.state}: ${s.reason}` : s.state;
    if (sources[s.path] !== text && (s.state === 'missing' || s.state === 'unreadable')) log(`${s.path}: ${text}`);
    sources[s.path] = text;
  };
  // Where each log was left at the last round: a restart resumes there, so no line is missed.
  const positionsPath = join(config.stateDir, 'log-positions.json');
  const saved = readJson<Record<string, TailPosition>>(positionsPath) ?? {};
  // What the file holds now: rounds run every second, the file is rewritten only when a log moved.
  let savedText = JSON.stringify(saved);
  const follow = (f: string, parse: (line: string) => HostEvent | undefined): [string, FileTail] => [
    f,
    tailFile(f, (line) => {
      const e = parse(line);
      if (e !== undefined) pending.push(...rules.onHostEvent(e));
    }, { onStatus, ...(saved[f] !== undefined ? { resume: saved[f] } : {}) }),
  ];
  const tails = new Map<string, FileTail>([
    ...[...config.authLogs, ...config.firewallLogs].map((f) => follow(f, (line) => parseSyslogLine(line, deps.now()))),
    ...config.journalFiles.map((f) => follow(f, parseJournalLine)),
  ]);

  const fimPath = join(config.stateDir, 'file-baseline.json');
  const inventoryPath = join(config.stateDir, 'inventory.json');
  let nextSockets = 0;
  let nextFim = 0;
  let nextInventory = 0;
  let nextReport = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Alert[]> | undefined;
  const limitations = new Set(privilegeLimitations(config, process.getuid?.()));

  function scanSockets(now: Date): void {
    if (config.sockets === undefined || now.getTime() < nextSockets) return;
    nextSockets = now.getTime() + config.sockets.intervalSeconds * 1000;
    const scan = readProcListeners({ procRoot: config.sockets.procRoot });
    for (const n of scan.notes) limitations.add(n);
    sources.sockets = `${String(scan.services.length)} listening`;
    pending.push(...rules.onSockets(scan.services, now));
    // Processes are looked at on the same schedule: what runs from /tmp or a deleted file.
    const procs = scanProcesses(config.sockets.procRoot);
    if (procs.hidden > 0) limitations.add(`${String(procs.hidden)} processes' executables are not readable without privileges`);
    sources.processes = `${String(procs.processes.length)} running`;
    pending.push(...rules.onProcesses(procs.processes, now));
  }

  function scanFiles(now: Date): void {
    const fim = config.fileIntegrity;
    if (fim === undefined || now.getTime() < nextFim) return;
    nextFim = now.getTime() + fim.intervalSeconds * 1000;
    const scan = scanPaths(fim.paths, { maxFiles: fim.maxFiles });
    for (const p of scan.problems) limitations.add(`file integrity: ${p}`);
    if (scan.truncated) limitations.add(`file integrity: more than ${String(fim.maxFiles)} entries; the rest is not watched`);
    const before = readJson<Baseline>(fimPath);
    // The first scan is the baseline: what exists at install time is not an alert.
    if (before !== undefined) pending.push(...rules.onFileChanges(diffBaselines(before, scan.baseline), now));
    writeJsonAtomic(fimPath, scan.baseline);
    sources['file-integrity'] = `${String(Object.keys(scan.baseline).length)} entries`;
  }

  function scanInventory(now: Date): void {
    const inv = config.inventory;
    if (inv === undefined || now.getTime() < nextInventory) return;
    nextInventory = now.getTime() + inv.intervalSeconds * 1000;
    let packages: InstalledPackage[];
    try {
      packages = parseDpkgStatus(readFileSync(inv.dpkgStatus, 'utf8')).packages;
    } catch (e) {
      sources.inventory = `unreadable: ${(e as Error).message}`;
      return;
    }
    const before = readJson<InstalledPackage[]>(inventoryPath);
    if (before !== undefined) pending.push(...packageChanges(before, packages, now));
    writeJsonAtomic(inventoryPath, packages);
    sources.inventory = `${String(packages.length)} packages`;
  }

  async function round(): Promise<Alert[]> {
    const now = deps.now();
    for (const t of tails.values()) t.poll();
    const positions: Record<string, TailPosition> = {};
    for (const [f, t] of tails) {
      const p = t.position();
      if (p !== undefined) positions[f] = p;
    }
    scanSockets(now);
    scanFiles(now);
    scanInventory(now);
    const alerts = pending.splice(0, pending.length);
    for (const a of alerts) {
      const actions = deps.responder === undefined ? [] : await deps.responder.onAlert(a);
      deps.onAlert?.(a, actions);
    }
    // Spooled first, positions saved second: a crash in between repeats alerts (same UUIDs, no duplicates), never loses them.
    if (alerts.length > 0) reporter.add(alerts);
    const text = JSON.stringify(positions);
    if (text !== savedText) {
      writeJsonAtomic(positionsPath, positions);
      savedText = text;
    }
    alertCount += alerts.length;
    await deps.responder?.expire();
    if (now.getTime() >= nextReport) {
      nextReport = now.getTime() + config.reportIntervalSeconds * 1000;
      const r = await reporter.flush();
      if (r.error !== undefined) log(`reporting paused (${String(r.pending)} batches spooled in ${reporter.spool.dir}): ${r.error}`);
    }
    return alerts;
  }

  return {
    tick() {
      running ??= round().finally(() => {
        running = undefined;
      });
      return running;
    },
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        this.tick().catch((e: unknown) => log(`agent round failed: ${String(e)}`));
      }, config.pollIntervalMs);
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (running !== undefined) await running.catch(() => undefined);
      await deps.responder?.stopAll();
      await reporter.flush();
    },
    status: () => ({ sources: { ...sources }, limitations: [...limitations], alerts: alertCount, spooled: reporter.spool.list().length }),
  };
}
