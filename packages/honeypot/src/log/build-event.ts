import type { EventEnvelope, EventFields, EventId, HoneypotEvent } from './event.js';
import { formatCowrieTimestamp } from './timestamp.js';

type MessageOf = { [E in EventId]: (f: EventFields[E], env: EventEnvelope) => string };

/** Human messages, worded as Cowrie words them so grep-based tooling keeps working. */
const MESSAGES: MessageOf = {
  'cowrie.session.connect': (_f, e) =>
    `New connection: ${e.src_ip}:${e.src_port} (${e.dst_ip}:${e.dst_port}) [session: ${e.session}]`,
  'cowrie.client.version': (f) => `Remote SSH version: ${f.version}`,
  'cowrie.client.kex': (f) => `SSH client hassh fingerprint: ${f.hassh}`,
  'cowrie.login.success': (f) => `login attempt [${f.username}/${f.password}] succeeded`,
  'cowrie.login.failed': (f) => `login attempt [${f.username}/${f.password}] failed`,
  'cowrie.client.fingerprint': (f) =>
    `public key attempt for user ${f.username} of type ${f.type} with fingerprint ${f.fingerprint}`,
  'cowrie.client.size': (f) => `Terminal Size: ${f.width} ${f.height}`,
  'cowrie.client.var': (f) => `request_env: ${f.name}=${f.value}`,
  'cowrie.session.params': (f) => `arch: ${f.arch}`,
  'cowrie.command.input': (f) => `CMD: ${f.input}`,
  'cowrie.command.failed': (f) => `Command not found: ${f.input}`,
  'cowrie.session.file_download': (f) => `Downloaded URL (${f.url}) with SHA-256 ${f.shasum} to ${f.outfile}`,
  'cowrie.session.file_download.failed': (f) => `Attempt to download file(s) from URL (${f.url}) failed`,
  'cowrie.session.file_upload': (f) => `Uploaded file "${f.filename}" to ${f.outfile}`,
  'cowrie.direct-tcpip.request': (f) =>
    `direct-tcp connection request to ${f.dst_ip}:${f.dst_port} from ${f.src_ip}:${f.src_port}`,
  'cowrie.log.closed': (f) => `Closing TTY Log: ${f.ttylog} after ${Math.floor(f.duration)} seconds`,
  'cowrie.session.closed': (f) => `Connection lost after ${Math.floor(f.duration)} seconds`,
  'waggle.session.rejected': (f, e) => `Connection from ${e.src_ip}:${e.src_port} refused: ${f.reason}`,
  'waggle.input.truncated': (f) => `Input longer than ${f.limit} bytes cut`,
  'waggle.redis.command': (f) => `Redis command: ${[f.command, ...f.args].join(' ')}`,
  'waggle.ftp.command': (f) => `FTP command: ${f.command}${f.arg === '' ? '' : ` ${f.arg}`}`,
  'waggle.ftp.login.success': (f) => `login attempt [${f.username}/${f.password}] succeeded`,
  'waggle.ftp.login.failed': (f) => `login attempt [${f.username}/${f.password}] failed`,
  'waggle.http.request': (f) => `${f.method} ${f.url}`,
  'waggle.http.exploit': (f) => `Exploit attempt ${f.cve} (${f.detector}) on ${f.profile}: ${f.method} ${f.url.slice(0, 200)}`,
  'waggle.ssh.exploit': (f) => `Exploit attempt ${f.cve} (${f.detector}): ${f.evidence.join('; ')}`,
};

/** Every event id with a builder, for documentation and validation. */
export const EVENT_IDS: readonly EventId[] = Object.keys(MESSAGES) as EventId[];

/**
 * Builds one event: the envelope, then Cowrie's `eventid`, `timestamp` and `message`, then the
 * id's own fields. For `cowrie.direct-tcpip.request` the requested addresses replace the
 * envelope's, exactly as Cowrie logs it; `session` still links it to the attacker.
 */
export function buildEvent<E extends EventId>(
  eventid: E,
  envelope: EventEnvelope,
  time: Date,
  fields: EventFields[E],
): HoneypotEvent<E> {
  const message = (MESSAGES[eventid] as (f: EventFields[E], env: EventEnvelope) => string)(fields, envelope);
  return {
    eventid,
    timestamp: formatCowrieTimestamp(time),
    ...envelope,
    message,
    ...fields,
  } as unknown as HoneypotEvent<E>;
}

/** Computes Cowrie's `duration` (seconds, 3 decimals — Cowrie writes a float). */
export function durationSeconds(start: Date, end: Date): number {
  return Math.round(end.getTime() - start.getTime()) / 1000;
}
