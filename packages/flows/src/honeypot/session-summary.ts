/** What one honeypot session showed, folded from its Cowrie events. */
export interface SessionTally {
  readonly session: string;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  protocol: string;
  /** First and last event time, epoch ms. */
  start: number;
  last: number;
  /** `duration` of `cowrie.session.closed`, seconds, when the session closed. */
  closedAfter: number | undefined;
  rejected: boolean;
  /** Whether the SSH key exchange happened (a client version or KEXINIT was seen, or a login). */
  kex: boolean;
  loginsFailed: number;
  loginsSucceeded: number;
  /** Bytes of usernames and passwords tried. */
  credentialBytes: number;
  commands: number;
  commandBytes: number;
  uploadBytes: number;
  httpRequests: number;
  httpRequestBytes: number;
  exploits: number;
  /** Redis commands that change the server (CONFIG SET, SLAVEOF, MODULE LOAD, EVAL …). */
  dangerousRedis: number;
}

/** A fresh tally for a session whose first event is `event`. */
export function newTally(session: string, event: Readonly<Record<string, unknown>>, time: number): SessionTally {
  return {
    session,
    srcIp: typeof event['src_ip'] === 'string' ? event['src_ip'] : '',
    srcPort: typeof event['src_port'] === 'number' ? event['src_port'] : 0,
    dstIp: typeof event['dst_ip'] === 'string' ? event['dst_ip'] : '',
    dstPort: typeof event['dst_port'] === 'number' ? event['dst_port'] : 0,
    protocol: typeof event['protocol'] === 'string' ? event['protocol'].toLowerCase() : 'other',
    start: time,
    last: time,
    closedAfter: undefined,
    rejected: false,
    kex: false,
    loginsFailed: 0,
    loginsSucceeded: 0,
    credentialBytes: 0,
    commands: 0,
    commandBytes: 0,
    uploadBytes: 0,
    httpRequests: 0,
    httpRequestBytes: 0,
    exploits: 0,
    dangerousRedis: 0,
  };
}

const DANGEROUS_REDIS = new Set(['config', 'slaveof', 'replicaof', 'module', 'eval', 'evalsha', 'script', 'flushall', 'debug']);

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function headerBytes(headers: unknown): number {
  if (headers === null || typeof headers !== 'object') return 0;
  return Object.entries(headers as Record<string, unknown>).reduce((sum, [k, v]) => sum + k.length + String(v).length + 4, 0);
}

/** Folds one event into its session's tally. */
export function addEvent(tally: SessionTally, eventid: string, event: Readonly<Record<string, unknown>>, time: number): void {
  tally.start = Math.min(tally.start, time);
  tally.last = Math.max(tally.last, time);
  switch (eventid) {
    case 'cowrie.client.version':
    case 'cowrie.client.kex':
      tally.kex = true;
      break;
    case 'cowrie.login.failed':
    case 'waggle.ftp.login.failed':
      tally.loginsFailed += 1;
      tally.credentialBytes += text(event['username']).length + text(event['password']).length;
      break;
    case 'cowrie.login.success':
    case 'waggle.ftp.login.success':
      tally.loginsSucceeded += 1;
      tally.credentialBytes += text(event['username']).length + text(event['password']).length;
      break;
    case 'cowrie.command.input':
      tally.commands += 1;
      tally.commandBytes += text(event['input']).length;
      break;
    case 'waggle.ftp.command':
      tally.commands += 1;
      tally.commandBytes += text(event['command']).length + text(event['arg']).length + 1;
      break;
    case 'waggle.redis.command': {
      const args = Array.isArray(event['args']) ? (event['args'] as unknown[]).map(String) : [];
      tally.commands += 1;
      tally.commandBytes += text(event['command']).length + args.reduce((sum, a) => sum + a.length + 1, 0);
      if (DANGEROUS_REDIS.has(text(event['command']).toLowerCase())) tally.dangerousRedis += 1;
      break;
    }
    case 'cowrie.session.file_upload':
      tally.uploadBytes += typeof event['size'] === 'number' ? event['size'] : 0;
      break;
    case 'waggle.http.request':
      tally.httpRequests += 1;
      tally.httpRequestBytes += text(event['method']).length + text(event['url']).length + 11 + headerBytes(event['headers']);
      break;
    case 'waggle.http.exploit':
    case 'waggle.ssh.exploit':
      tally.exploits += 1;
      break;
    case 'waggle.session.rejected':
      tally.rejected = true;
      break;
    case 'cowrie.session.closed':
      tally.closedAfter = typeof event['duration'] === 'number' ? event['duration'] : undefined;
      break;
    default:
      break;
  }
}
