import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine and checkout a benchmark ran on. */
export interface MachineInfo {
  readonly date: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly os: string;
  readonly git: string;
  /** Which code of the workspace packages runs: their TypeScript sources (via tsx) or the compiled dist/. */
  readonly code: string;
}

function gitDescription(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}

function measuredCode(probe: string | undefined): string {
  if (probe === undefined) return 'unknown';
  if (probe.includes('/src/')) return 'TypeScript sources (source export condition, tsx)';
  if (probe.includes('/dist/')) return 'compiled dist/ (run `npm run build` after changes)';
  return probe;
}

/** Collects machine information (the checkout's git state from `cwd`; `probe`: a resolved workspace module URL). */
export function machineInfo(cwd: string, probe?: string): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    git: gitDescription(cwd),
    code: measuredCode(probe),
  };
}

/** Machine information as report lines. */
export function describeMachine(m: MachineInfo): string {
  return [
    `date:    ${m.date}`,
    `cpu:     ${m.cpuModel} × ${m.cpuCount}`,
    `memory:  ${(m.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB`,
    `node:    ${m.node}`,
    `os:      ${m.os}`,
    `commit:  ${m.git}`,
    `code:    ${m.code}`,
  ].join('\n');
}
