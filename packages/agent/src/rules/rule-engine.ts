import { basename } from 'node:path';
import type { HostEvent } from '../sources/auth-line.js';
import type { FileChange } from '../sources/file-integrity.js';
import { suspiciousProcess, type ProcessInfo } from '../sources/processes.js';
import { isLoopbackAddress, type ListeningService } from '@waggle/risk';
import type { Alert } from './alert.js';

/** Thresholds of the rules. */
export interface RuleSettings {
  /** Failed logins from one address within `bruteForceWindowSeconds` that make a brute force. */
  readonly bruteForceThreshold: number;
  readonly bruteForceWindowSeconds: number;
  /** Failures from an address before a successful login from it is suspicious. */
  readonly successAfterFailures: number;
  readonly successWindowSeconds: number;
  /** The same alert (rule and subject) is not repeated within this time. */
  readonly repeatSeconds: number;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  bruteForceThreshold: 5,
  bruteForceWindowSeconds: 300,
  successAfterFailures: 3,
  successWindowSeconds: 3600,
  repeatSeconds: 3600,
};

/** The stateful rule engine: host events, socket scans and file changes in, alerts out. */
export interface RuleEngine {
  onHostEvent(event: HostEvent): Alert[];
  /** The first scan is the baseline; later scans alert on sockets not seen before. */
  onSockets(sockets: readonly ListeningService[], time: Date): Alert[];
  onFileChanges(changes: readonly FileChange[], time: Date): Alert[];
  /** Processes that run from world-writable folders or deleted files, once per process. */
  onProcesses(processes: readonly ProcessInfo[], time: Date): Alert[];
}

const ACCOUNT_FILES = new Set(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers']);
const isCron = (p: string): boolean => /^\/etc\/cron(tab$|\.|\/|$)|^\/var\/spool\/cron(\/|$)|^\/etc\/anacrontab$/.test(p) || /\/cron(tab|\.d|\.daily|\.hourly|\.weekly|\.monthly)(\/|$)/.test(p);
const isAuthorizedKeys = (p: string): boolean => /^authorized_keys2?$/.test(basename(p));
const isAccountFile = (p: string): boolean => ACCOUNT_FILES.has(p) || p.startsWith('/etc/sudoers.d/') || /\/(passwd|shadow|group|sudoers)$/.test(p);
const SETUID = 0o4000;
const SETGID = 0o2000;

/** Creates the engine. Memory is bounded: failure histories older than the window are pruned. */
export function createRuleEngine(settings: RuleSettings = DEFAULT_RULE_SETTINGS): RuleEngine {
  const failures = new Map<string, { times: number[]; lines: string[] }>();
  const lastAlert = new Map<string, number>();
  let knownSockets: Set<string> | undefined;

  const fresh = (key: string, t: number): boolean => {
    const last = lastAlert.get(key);
    if (last !== undefined && t - last < settings.repeatSeconds * 1000) return false;
    lastAlert.set(key, t);
    if (lastAlert.size > 50_000) for (const k of [...lastAlert.keys()].slice(0, 10_000)) lastAlert.delete(k);
    return true;
  };

  const recentFailures = (ip: string, t: number, windowSeconds: number): { times: number[]; lines: string[] } => {
    const h = failures.get(ip) ?? { times: [], lines: [] };
    const since = t - windowSeconds * 1000;
    while (h.times.length > 0 && (h.times[0] as number) < since) {
      h.times.shift();
      h.lines.shift();
    }
    return h;
  };

  return {
    onHostEvent(e) {
      const t = e.time.getTime();
      switch (e.kind) {
        case 'login-failed': {
          const window = Math.max(settings.bruteForceWindowSeconds, settings.successWindowSeconds);
          const h = recentFailures(e.ip, t, window);
          h.times.push(t);
          h.lines.push(e.line);
          if (h.times.length > 1000) {
            h.times.splice(0, h.times.length - 1000);
            h.lines.splice(0, h.lines.length - 1000);
          }
          failures.set(e.ip, h);
          if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
          const inWindow = h.times.filter((x) => x >= t - settings.bruteForceWindowSeconds * 1000).length;
          if (inWindow >= settings.bruteForceThreshold && fresh(`bf:${e.ip}`, t)) {
            return [{ rule: 'ssh-brute-force', severity: 'medium', time: e.time, ip: e.ip, user: e.user, message: `${String(inWindow)} failed SSH logins from ${e.ip} within ${String(settings.bruteForceWindowSeconds)} s (last user ${e.user})`, evidence: h.lines.slice(-10) }];
          }
          return [];
        }
        case 'login-accepted': {
          const h = recentFailures(e.ip, t, settings.successWindowSeconds);
          if (h.times.length >= settings.successAfterFailures && fresh(`laf:${e.ip}:${e.user}`, t)) {
            return [{ rule: 'login-after-failures', severity: 'high', time: e.time, ip: e.ip, user: e.user, message: `successful ${e.method} login as ${e.user} from ${e.ip} after ${String(h.times.length)} failures`, evidence: [...h.lines.slice(-5), e.line] }];
          }
          return [];
        }
        case 'user-added':
          return [{ rule: 'account-created', severity: 'medium', time: e.time, user: e.user, message: `new local account ${e.user}`, evidence: [e.line] }];
        case 'sudo':
          return e.failed && fresh(`sudo:${e.user}`, t) ? [{ rule: 'sudo-failure', severity: 'low', time: e.time, user: e.user, message: `sudo refused for ${e.user}: ${e.command}`, evidence: [e.line] }] : [];
        case 'probe':
          return fresh(`probe:${e.ip}:${String(e.port)}`, t) ? [{ rule: 'port-probe', severity: 'low', time: e.time, ip: e.ip, port: e.port, message: `${e.ip} probed ${e.protocol}/${String(e.port)}`, evidence: [e.line] }] : [];
        default:
          return [];
      }
    },

    onSockets(sockets, time) {
      const key = (s: ListeningService): string => `${s.protocol}/${s.address}/${String(s.port)}`;
      const current = new Set(sockets.map(key));
      if (knownSockets === undefined) {
        knownSockets = current;
        return [];
      }
      const alerts: Alert[] = [];
      for (const s of sockets) {
        if (knownSockets.has(key(s))) continue;
        const who = s.process === undefined || s.process === '' ? 'an unknown process' : `${s.process}${s.pid !== undefined ? ` (pid ${String(s.pid)})` : ''}`;
        alerts.push({ rule: 'new-listening-port', severity: isLoopbackAddress(s.address) ? 'medium' : 'high', time, port: s.port, message: `new listening ${s.protocol} socket ${s.address}:${String(s.port)} opened by ${who}`, evidence: [key(s)] });
      }
      knownSockets = current;
      return alerts;
    },

    onProcesses(processes, time) {
      const alerts: Alert[] = [];
      for (const p of processes) {
        const why = suspiciousProcess(p);
        if (why === undefined || !fresh(`proc:${String(p.pid)}:${p.exe ?? ''}`, time.getTime())) continue;
        alerts.push({ rule: 'suspicious-process', severity: 'high', time, path: (p.exe ?? '').replace(/ \(deleted\)$/, ''), message: `process ${p.name} (pid ${String(p.pid)}) ${why}: ${p.cmdline.slice(0, 200)}`, evidence: [JSON.stringify(p)] });
      }
      return alerts;
    },

    onFileChanges(changes, time) {
      const alerts: Alert[] = [];
      for (const c of changes) {
        const after = c.after;
        const gainedSetuid = after !== undefined && after.kind === 'file' && (after.mode & (SETUID | SETGID)) !== 0 && (c.before === undefined || (c.before.mode & (SETUID | SETGID)) === 0);
        const what = c.change === 'modified' ? `${c.path} changed (${c.fields.join(', ')})` : `${c.path} ${c.change}`;
        const evidence = [JSON.stringify({ path: c.path, change: c.change, fields: c.fields, before: c.before, after: c.after })];
        if (gainedSetuid) alerts.push({ rule: 'new-suid-binary', severity: 'high', time, path: c.path, message: `set-uid/set-gid binary ${c.path} (mode ${(after.mode).toString(8)})`, evidence });
        else if (isAuthorizedKeys(c.path)) alerts.push({ rule: 'authorized-keys-changed', severity: 'high', time, path: c.path, message: `SSH authorized keys: ${what}`, evidence });
        else if (isAccountFile(c.path)) alerts.push({ rule: 'account-file-changed', severity: 'high', time, path: c.path, message: `account database: ${what}`, evidence });
        else if (isCron(c.path)) alerts.push({ rule: 'cron-changed', severity: 'medium', time, path: c.path, message: `scheduled task: ${what}`, evidence });
        else if (c.after?.kind !== 'dir' && c.before?.kind !== 'dir') alerts.push({ rule: 'watched-file-changed', severity: 'low', time, path: c.path, message: what, evidence });
      }
      return alerts;
    },
  };
}
