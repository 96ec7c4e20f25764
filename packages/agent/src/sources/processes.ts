import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A running process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly name: string;
  /** The executable's path (`readlink /proc/<pid>/exe`), when readable; ends in " (deleted)" when the file is gone. */
  readonly exe?: string;
  readonly cmdline: string;
}

/** The processes and how many could not be inspected (other users' processes without privileges). */
export interface ProcessScan {
  readonly processes: ProcessInfo[];
  readonly hidden: number;
}

/** Lists processes from `procRoot`; unreadable details are left out, never fatal. */
export function scanProcesses(procRoot = '/proc'): ProcessScan {
  const processes: ProcessInfo[] = [];
  let hidden = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync(procRoot).filter((d) => /^\d+$/.test(d));
  } catch {
    return { processes, hidden };
  }
  for (const pid of pids) {
    let name: string;
    let cmdline = '';
    try {
      name = readFileSync(join(procRoot, pid, 'comm'), 'utf8').trim();
      cmdline = readFileSync(join(procRoot, pid, 'cmdline'), 'utf8').split('\u0000').join(' ').trim();
    } catch {
      continue; // exited meanwhile
    }
    let exe: string | undefined;
    try {
      exe = readlinkSync(join(procRoot, pid, 'exe'));
    } catch {
      hidden += 1;
    }
    processes.push({ pid: Number(pid), name, cmdline, ...(exe !== undefined ? { exe } : {}) });
  }
  return { processes, hidden };
}

// World-writable places malware runs from, and executables deleted after start (a dropper's habit).
const SUSPICIOUS_DIRS = /^\/(tmp|var\/tmp|dev\/shm|run\/shm)\//;

/** Why a process looks like an intruder's, or undefined. */
export function suspiciousProcess(p: ProcessInfo): string | undefined {
  if (p.exe === undefined) return undefined;
  if (p.exe.endsWith(' (deleted)') && !/^\/(usr|lib|opt)\//.test(p.exe)) return `runs from a deleted file ${p.exe.replace(/ \(deleted\)$/, '')}`;
  if (SUSPICIOUS_DIRS.test(p.exe)) return `runs from a world-writable folder (${p.exe})`;
  return undefined;
}
