/**
 * Cowrie's JSON event envelope. Field names follow Cowrie's `output/jsonlog` exactly so
 * tools that read Cowrie logs (ELK/T-Pot dashboards, DShield, cowrieprocessor) read ours.
 */
export interface EventEnvelope {
  /** Cowrie's 12-hex session id. */
  session: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  sensor: string;
  /** `ssh`, `telnet`, `redis`, `ftp`, `http`. */
  protocol: string;
}

/** Fields of a `waggle.http.exploit` event: which CVE the request tried, and the proof. */
export interface HttpExploitFields {
  cve: string;
  /** The lure profile that served the request. */
  profile: string;
  /** The detector's `id` in the profile. */
  detector: string;
  /** ATT&CK technique id (e.g. `T1190`). */
  technique: string;
  /** What matched, `target: excerpt` per condition. */
  evidence: string[];
  method: string;
  url: string;
}

/** Fields of a `waggle.ssh.exploit` event: an SSH detector fired on a client's message. */
export interface SshExploitFields {
  cve: string;
  /** ATT&CK technique id from the detector (e.g. `T1190`). */
  technique: string;
  /** The detector's `id` in the profile. */
  detector: string;
  /** What the client did: the message it sent and the authentication state it sent it in. */
  evidence: string[];
}

/** Event-specific fields, per event id. Cowrie's own ids keep Cowrie's field names. */
export interface EventFields {
  'cowrie.session.connect': Record<string, never>;
  'cowrie.client.version': { version: string };
  'cowrie.client.kex': {
    hassh: string;
    hasshAlgorithms: string;
    kexAlgs: string[];
    keyAlgs: string[];
    encCS: string[];
    macCS: string[];
    compCS: string[];
    langCS: string[];
  };
  'cowrie.login.success': { username: string; password: string };
  'cowrie.login.failed': { username: string; password: string };
  'cowrie.client.fingerprint': { username: string; fingerprint: string; key: string; type: string };
  'cowrie.client.size': { width: number; height: number };
  'cowrie.client.var': { name: string; value: string };
  'cowrie.session.params': { arch: string };
  'cowrie.command.input': { input: string };
  'cowrie.command.failed': { input: string };
  'cowrie.session.file_download': { url: string; outfile: string; shasum: string; destfile: string };
  'cowrie.session.file_download.failed': { url: string };
  'cowrie.session.file_upload': { filename: string; outfile: string; shasum: string; size: number; duplicate: boolean };
  'cowrie.direct-tcpip.request': { dst_ip: string; dst_port: number; src_ip: string; src_port: number };
  'cowrie.log.closed': { ttylog: string; size: number; shasum: string; duration: number };
  'cowrie.session.closed': { duration: number };
  'waggle.session.rejected': { reason: string };
  'waggle.input.truncated': { limit: number };
  'waggle.redis.command': { command: string; args: string[] };
  'waggle.ftp.command': { command: string; arg: string };
  'waggle.ftp.login.success': { username: string; password: string };
  'waggle.ftp.login.failed': { username: string; password: string };
  'waggle.http.request': { method: string; url: string; headers: Record<string, string>; [extra: string]: unknown };
  'waggle.http.exploit': HttpExploitFields;
  'waggle.ssh.exploit': SshExploitFields;
}

/** Every event id waggle's services write. */
export type EventId = keyof EventFields;

/** One logged event: envelope, id, timestamp, human message and the id's fields. */
export type HoneypotEvent<E extends EventId = EventId> = EventEnvelope & {
  eventid: E;
  /** ISO 8601 UTC with microseconds and `Z`, as Cowrie writes it. */
  timestamp: string;
  message: string;
} & EventFields[E];
