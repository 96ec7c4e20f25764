import { describe, expect, it } from 'vitest';
import { parseJournalLine, parseSyslogLine, syslogTime } from './auth-line.js';

const NOW = new Date('2026-12-02T12:00:00Z');

describe('authentication log lines', () => {
  it('reads sshd failures, invalid users and accepted logins (BSD syslog format)', () => {
    const failed = parseSyslogLine('Dec  2 10:00:01 web-01 sshd[1234]: Failed password for root from 203.0.113.5 port 51122 ssh2', NOW);
    expect(failed).toMatchObject({ kind: 'login-failed', user: 'root', ip: '203.0.113.5', port: 51122, invalidUser: false });
    expect(failed?.time.toISOString()).toBe('2026-12-02T10:00:01.000Z');
    expect(parseSyslogLine('Dec  2 10:00:02 web-01 sshd[1234]: Failed password for invalid user admin from 2001:db8::7 port 4022 ssh2', NOW)).toMatchObject({ kind: 'login-failed', user: 'admin', ip: '2001:db8::7', invalidUser: true });
    expect(parseSyslogLine('Dec  2 10:00:03 web-01 sshd[1234]: Accepted publickey for deploy from 198.51.100.9 port 40000 ssh2: ED25519 SHA256:abc', NOW)).toMatchObject({ kind: 'login-accepted', user: 'deploy', method: 'publickey', ip: '198.51.100.9' });
    // The "Invalid user" line precedes the failure of the same attempt; it is not counted twice.
    expect(parseSyslogLine('Dec  2 10:00:02 web-01 sshd[1234]: Invalid user admin from 203.0.113.5 port 4022', NOW)).toBeUndefined();
  });

  it('reads RFC 3339 timestamps, sudo, useradd and firewall probes', () => {
    const sudo = parseSyslogLine('2026-12-02T10:00:04.123456+00:00 web-01 sudo[99]:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', NOW);
    expect(sudo).toMatchObject({ kind: 'sudo', user: 'alice', failed: true, command: '/bin/bash' });
    expect(sudo?.time.toISOString()).toBe('2026-12-02T10:00:04.123Z');
    expect(parseSyslogLine('Dec  2 10:00:05 web-01 sudo:      bob : TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/apt update', NOW)).toMatchObject({ kind: 'sudo', failed: false });
    expect(parseSyslogLine('Dec  2 10:00:06 web-01 useradd[77]: new user: name=backdoor, UID=1001, GID=1001, home=/home/backdoor, shell=/bin/bash', NOW)).toMatchObject({ kind: 'user-added', user: 'backdoor' });
    expect(parseSyslogLine('Dec  2 10:00:07 web-01 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=aa SRC=203.0.113.77 DST=192.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=240 ID=54321 PROTO=TCP SPT=43210 DPT=2323 WINDOW=1024 RES=0x00 SYN URGP=0', NOW)).toMatchObject({ kind: 'probe', ip: '203.0.113.77', port: 2323, protocol: 'tcp' });
  });

  it('dates BSD lines without a year in the past, never in the future', () => {
    expect(syslogTime('Dec 31 23:59:59 h x: y', new Date('2027-01-01T00:00:10Z'))?.time.toISOString()).toBe('2026-12-31T23:59:59.000Z');
  });

  it('ignores lines it does not understand, including garbage and truncated lines', () => {
    for (const line of ['', 'garbage', 'Dec  2 10:00:01 web-01 cron[1]: (root) CMD (run-parts)', 'Dec  2 10:00:01 web-01 sshd[1]: Failed password for root from', '\u0000\u0001\u0002', 'Xyz 99 99:99:99 h x']) {
      expect(parseSyslogLine(line, NOW)).toBeUndefined();
    }
  });

  it('reads journalctl -o json lines', () => {
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1764669601000000', SYSLOG_IDENTIFIER: 'sshd', _PID: '4242', MESSAGE: 'Failed password for root from 203.0.113.5 port 1 ssh2' });
    const e = parseJournalLine(line);
    expect(e).toMatchObject({ kind: 'login-failed', ip: '203.0.113.5' });
    expect(e?.time.getTime()).toBe(1_764_669_601_000);
    const bytes = JSON.stringify({ __REALTIME_TIMESTAMP: '1764669601000000', SYSLOG_IDENTIFIER: 'sshd', MESSAGE: [...Buffer.from('Accepted password for bob from 192.0.2.1 port 2 ssh2')] });
    expect(parseJournalLine(bytes)).toMatchObject({ kind: 'login-accepted', user: 'bob' });
    expect(parseJournalLine('{not json')).toBeUndefined();
    expect(parseJournalLine('{"MESSAGE": 5}')).toBeUndefined();
  });
});
