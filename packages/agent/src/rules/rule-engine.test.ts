import { describe, expect, it } from 'vitest';
import { parseSyslogLine } from '../sources/auth-line.js';
import type { FileRecord } from '../sources/file-integrity.js';
import { createRuleEngine, DEFAULT_RULE_SETTINGS } from './rule-engine.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const line = (t: string, msg: string): string => `Dec  2 ${t} web-01 sshd[1]: ${msg}`;

function feed(engine: ReturnType<typeof createRuleEngine>, lines: string[]) {
  return lines.flatMap((l) => {
    const e = parseSyslogLine(l, NOW);
    return e === undefined ? [] : engine.onHostEvent(e);
  });
}

describe('rule engine', () => {
  it('raises one brute-force alert per source when failures reach the threshold in the window', () => {
    const engine = createRuleEngine({ ...DEFAULT_RULE_SETTINGS, bruteForceThreshold: 3, bruteForceWindowSeconds: 60 });
    const alerts = feed(engine, [
      line('10:00:00', 'Failed password for root from 203.0.113.5 port 1 ssh2'),
      line('10:00:10', 'Failed password for root from 203.0.113.5 port 2 ssh2'),
      line('10:05:00', 'Failed password for admin from 203.0.113.5 port 3 ssh2'), // outside the window of the first two
      line('10:05:10', 'Failed password for admin from 203.0.113.5 port 4 ssh2'),
      line('10:05:20', 'Failed password for admin from 203.0.113.5 port 5 ssh2'),
      line('10:05:30', 'Failed password for admin from 203.0.113.5 port 6 ssh2'), // same source, suppressed repeat
      line('10:05:30', 'Failed password for admin from 198.51.100.1 port 6 ssh2'),
    ]);
    expect(alerts.map((a) => [a.rule, a.ip])).toEqual([['ssh-brute-force', '203.0.113.5']]);
    expect(alerts[0]?.evidence.length).toBeGreaterThanOrEqual(3);
  });

  it('flags a successful login after failures from the same source as high severity', () => {
    const engine = createRuleEngine({ ...DEFAULT_RULE_SETTINGS, successAfterFailures: 2, bruteForceThreshold: 100 });
    const alerts = feed(engine, [
      line('10:00:00', 'Accepted password for bob from 192.0.2.50 port 9 ssh2'),
      line('10:00:01', 'Failed password for root from 203.0.113.9 port 1 ssh2'),
      line('10:00:02', 'Failed password for root from 203.0.113.9 port 2 ssh2'),
      line('10:00:03', 'Accepted password for root from 203.0.113.9 port 3 ssh2'),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'login-after-failures', severity: 'high', ip: '203.0.113.9', user: 'root' });
  });

  it('alerts on listening sockets that were not there at the first scan', () => {
    const engine = createRuleEngine();
    const ssh = { protocol: 'tcp' as const, address: '0.0.0.0', port: 22 };
    expect(engine.onSockets([ssh], NOW)).toEqual([]);
    const alerts = engine.onSockets([ssh, { protocol: 'tcp', address: '0.0.0.0', port: 31337, process: 'nc', pid: 4242 }, { protocol: 'tcp', address: '127.0.0.1', port: 6000 }], NOW);
    expect(alerts.map((a) => [a.rule, a.port, a.severity])).toEqual([['new-listening-port', 31337, 'high'], ['new-listening-port', 6000, 'medium']]);
    expect(alerts[0]?.message).toContain('nc (pid 4242)');
    expect(engine.onSockets([ssh], NOW)).toEqual([]);
  });

  it('classifies file changes: set-uid, authorized_keys, account files, cron, other', () => {
    const engine = createRuleEngine();
    const rec = (path: string, mode: number, sha = 'a'): FileRecord => ({ path, kind: 'file', mode, uid: 0, gid: 0, size: 1, sha256: sha });
    const alerts = engine.onFileChanges([
      { path: '/usr/local/bin/x', change: 'modified', fields: ['mode'], before: rec('/usr/local/bin/x', 0o755), after: rec('/usr/local/bin/x', 0o4755) },
      { path: '/root/.ssh/authorized_keys', change: 'modified', fields: ['content'], before: rec('/root/.ssh/authorized_keys', 0o600), after: rec('/root/.ssh/authorized_keys', 0o600, 'b') },
      { path: '/etc/passwd', change: 'modified', fields: ['content'], before: rec('/etc/passwd', 0o644), after: rec('/etc/passwd', 0o644, 'b') },
      { path: '/etc/cron.d/evil', change: 'added', fields: [], after: rec('/etc/cron.d/evil', 0o644) },
      { path: '/etc/motd', change: 'removed', fields: [], before: rec('/etc/motd', 0o644) },
    ], NOW);
    expect(alerts.map((a) => [a.rule, a.severity])).toEqual([
      ['new-suid-binary', 'high'],
      ['authorized-keys-changed', 'high'],
      ['account-file-changed', 'high'],
      ['cron-changed', 'medium'],
      ['watched-file-changed', 'low'],
    ]);
  });
});
