/**
 * What the agent understands of an authentication log line (sshd, sudo,
 * useradd, PAM) and of a kernel firewall log line. Only the facts the rules
 * use are kept; the raw line travels along for the alert's evidence.
 */
export type HostEvent =
  | { readonly kind: 'login-failed'; readonly time: Date; readonly user: string; readonly ip: string; readonly port?: number; readonly invalidUser: boolean; readonly line: string }
  | { readonly kind: 'login-accepted'; readonly time: Date; readonly user: string; readonly ip: string; readonly port?: number; readonly method: string; readonly line: string }
  | { readonly kind: 'sudo'; readonly time: Date; readonly user: string; readonly command: string; readonly failed: boolean; readonly line: string }
  | { readonly kind: 'user-added'; readonly time: Date; readonly user: string; readonly line: string }
  | { readonly kind: 'probe'; readonly time: Date; readonly ip: string; readonly port: number; readonly protocol: string; readonly line: string };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The time of a syslog line: RFC 3339 (`2026-12-02T10:00:01.123456+00:00 host …`,
 * rsyslog's high-precision format) or BSD (`Dec  2 10:00:01 host …`, no year:
 * the year of `now`, or the previous one when that would be in the future).
 */
export function syslogTime(line: string, now: Date): { time: Date; rest: string } | undefined {
  const iso = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(.*)$/.exec(line);
  if (iso !== null) {
    const t = new Date(iso[1] as string);
    return Number.isNaN(t.getTime()) ? undefined : { time: t, rest: iso[2] as string };
  }
  const bsd = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(.*)$/.exec(line);
  if (bsd === null) return undefined;
  const month = MONTHS.indexOf(bsd[1] as string);
  if (month < 0) return undefined;
  let year = now.getUTCFullYear();
  let t = new Date(Date.UTC(year, month, Number(bsd[2]), Number(bsd[3]), Number(bsd[4]), Number(bsd[5])));
  if (t.getTime() > now.getTime() + 86_400_000) {
    year -= 1;
    t = new Date(Date.UTC(year, month, Number(bsd[2]), Number(bsd[3]), Number(bsd[4]), Number(bsd[5])));
  }
  return { time: t, rest: bsd[6] as string };
}

const FAILED = /Failed (?:password|publickey|keyboard-interactive\/pam|none) for (invalid user )?(.*?) from ([0-9a-fA-F:.]+) port (\d+)/;
const INVALID = /Invalid user (.*?) from ([0-9a-fA-F:.]+)(?: port (\d+))?/;
const ACCEPTED = /Accepted (password|publickey|keyboard-interactive\/pam|gssapi-with-mic) for (\S+) from ([0-9a-fA-F:.]+) port (\d+)/;
const PAM_FAIL = /pam_unix\(sshd:auth\): authentication failure;.*rhost=([0-9a-fA-F:.]+)(?:\s+user=(\S+))?/;
const SUDO = /sudo(?:\[\d+\])?:\s+(\S+) : (?:(\d+ incorrect password attempts?|user NOT in sudoers|command not allowed) ; )?.*COMMAND=(.*)$/;
const USERADD = /useradd(?:\[\d+\])?: new user: name=([^,\s]+)/;
// Kernel firewall logs (UFW, iptables/nftables LOG targets): a connection attempt to a port.
const FIREWALL = /\bSRC=([0-9a-fA-F:.]+)\b.*\bPROTO=(TCP|UDP)\b.*\bDPT=(\d+)\b/;

/** Parses the message part (after time and host) of a syslog or journal line. */
export function parseAuthMessage(message: string, time: Date, line: string): HostEvent | undefined {
  let m = FAILED.exec(message);
  if (m !== null) return { kind: 'login-failed', time, user: m[2] as string, ip: m[3] as string, port: Number(m[4]), invalidUser: m[1] !== undefined, line };
  m = ACCEPTED.exec(message);
  if (m !== null) return { kind: 'login-accepted', time, method: m[1] as string, user: m[2] as string, ip: m[3] as string, port: Number(m[4]), line };
  m = INVALID.exec(message);
  // "Invalid user" precedes the "Failed password for invalid user" line of the same attempt; count only the latter.
  if (m !== null) return undefined;
  m = PAM_FAIL.exec(message);
  if (m !== null) return undefined;
  m = SUDO.exec(message);
  if (m !== null) return { kind: 'sudo', time, user: m[1] as string, failed: m[2] !== undefined, command: (m[3] as string).trim(), line };
  m = USERADD.exec(message);
  if (m !== null) return { kind: 'user-added', time, user: m[1] as string, line };
  m = FIREWALL.exec(message);
  if (m !== null) return { kind: 'probe', time, ip: m[1] as string, protocol: (m[2] as string).toLowerCase(), port: Number(m[3]), line };
  return undefined;
}

/** Parses one syslog-format line (auth.log, secure, kern.log). */
export function parseSyslogLine(line: string, now: Date): HostEvent | undefined {
  const head = syslogTime(line, now);
  if (head === undefined) return undefined;
  // After the time: "host program[pid]: message".
  const sp = head.rest.indexOf(' ');
  const message = sp < 0 ? head.rest : head.rest.slice(sp + 1);
  return parseAuthMessage(message, head.time, line);
}

/**
 * Parses one line of `journalctl -o json` output: the message and the
 * program come from MESSAGE and SYSLOG_IDENTIFIER (or _COMM), the time from
 * __REALTIME_TIMESTAMP (microseconds since the epoch).
 */
export function parseJournalLine(line: string): HostEvent | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const raw = entry.MESSAGE;
  // journald stores non-UTF-8 messages as byte arrays.
  const message = typeof raw === 'string' ? raw : Array.isArray(raw) ? Buffer.from(raw as number[]).toString('utf8') : undefined;
  if (message === undefined) return undefined;
  const micros = Number(entry.__REALTIME_TIMESTAMP);
  const time = Number.isFinite(micros) && micros > 0 ? new Date(Math.floor(micros / 1000)) : new Date(0);
  const program = String(entry.SYSLOG_IDENTIFIER ?? entry._COMM ?? '');
  const pid = entry._PID === undefined ? '' : `[${String(entry._PID)}]`;
  return parseAuthMessage(`${program}${pid}: ${message}`, time, line);
}
