import type { CowrieRecord } from './cowrie-record.js';

/** A captured payload (download or upload) of a session. */
export interface CapturedFile {
  sha256: string;
  filename: string;
  url?: string;
}

/** What one honeypot session did, folded from its Cowrie events. */
export interface SessionSummary {
  session: string;
  sensor: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  protocol: string;
  /** Timestamp of the first and the latest event (Cowrie ISO format). */
  start: string;
  last: string;
  closed: boolean;
  logins: { username: string; password: string; success: boolean }[];
  commands: string[];
  urls: string[];
  files: CapturedFile[];
  hassh?: string;
  client_version?: string;
  kex?: { keyAlgs: string[]; encCS: string[]; macCS: string[]; compCS: string[] };
  /** CVEs of exploit attempts seen (HTTP lure detectors, SSH detectors). */
  cves: string[];
  /** ATT&CK techniques observed. */
  techniques: string[];
  /** HTTP requests (method and URL), capped. */
  requests: string[];
}

const MAX_LIST = 200;
const URL_IN_TEXT = /\b(?:https?|ftp|tftp):\/\/[^\s'"`;|&<>()]+/gi;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.parseInt(str(v), 10) || 0);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

function addUnique<T>(list: T[], value: T): void {
  if (list.length < MAX_LIST && !list.includes(value)) list.push(value);
}

/** A summary holding only what the first event of a session says. */
export function newSessionSummary(r: CowrieRecord): SessionSummary {
  return {
    session: r.session,
    sensor: str(r.sensor) || 'unknown',
    src_ip: r.src_ip,
    src_port: num(r.src_port),
    dst_ip: str(r.dst_ip),
    dst_port: num(r.dst_port),
    protocol: str(r.protocol),
    start: r.timestamp,
    last: r.timestamp,
    closed: false,
    logins: [],
    commands: [],
    urls: [],
    files: [],
    cves: [],
    techniques: [],
    requests: [],
  };
}

/** Folds one event into its session's summary (mutates `s`). */
export function foldEvent(s: SessionSummary, r: CowrieRecord): void {
  if (r.timestamp > s.last) s.last = r.timestamp;
  if (r.timestamp < s.start) s.start = r.timestamp;
  switch (r.eventid) {
    case 'cowrie.session.connect':
      // direct-tcpip events carry other addresses; the connect event is authoritative.
      s.src_port = num(r.src_port);
      s.dst_ip = str(r.dst_ip);
      s.dst_port = num(r.dst_port);
      break;
    case 'cowrie.login.success':
    case 'waggle.ftp.login.success':
    case 'cowrie.login.failed':
    case 'waggle.ftp.login.failed': {
      const success = r.eventid.endsWith('.success');
      if (s.logins.length < MAX_LIST) s.logins.push({ username: str(r.username), password: str(r.password), success });
      addUnique(s.techniques, success ? 'T1078' : 'T1110.001');
      break;
    }
    case 'cowrie.command.input':
    case 'cowrie.command.failed': {
      const input = str(r.input);
      if (r.eventid === 'cowrie.command.input' && s.commands.length < MAX_LIST) s.commands.push(input);
      addUnique(s.techniques, 'T1059.004');
      for (const u of input.match(URL_IN_TEXT) ?? []) addUnique(s.urls, u);
      break;
    }
    case 'waggle.redis.command':
      if (s.commands.length < MAX_LIST) s.commands.push([str(r.command), ...strings(r.args)].join(' '));
      break;
    case 'waggle.ftp.command':
      if (s.commands.length < MAX_LIST) s.commands.push(`${str(r.command)} ${str(r.arg)}`.trim());
      break;
    case 'cowrie.session.file_download':
      addUnique(s.urls, str(r.url));
      addUnique(s.techniques, 'T1105');
      if (str(r.shasum) !== '' && !s.files.some((f) => f.sha256 === str(r.shasum))) s.files.push({ sha256: str(r.shasum), filename: str(r.destfile).split('/').pop() || str(r.url).split('/').pop() || str(r.shasum), url: str(r.url) });
      break;
    case 'cowrie.session.file_download.failed':
      addUnique(s.urls, str(r.url));
      break;
    case 'cowrie.session.file_upload':
      addUnique(s.techniques, 'T1105');
      if (str(r.shasum) !== '' && !s.files.some((f) => f.sha256 === str(r.shasum))) s.files.push({ sha256: str(r.shasum), filename: str(r.filename) || str(r.shasum) });
      break;
    case 'cowrie.client.version':
      s.client_version = str(r.version);
      break;
    case 'cowrie.client.kex':
      s.hassh = str(r.hassh);
      s.kex = { keyAlgs: strings(r.keyAlgs), encCS: strings(r.encCS), macCS: strings(r.macCS), compCS: strings(r.compCS) };
      break;
    case 'waggle.http.request':
      if (s.requests.length < MAX_LIST) s.requests.push(`${str(r.method)} ${str(r.url)}`);
      break;
    case 'waggle.http.exploit':
    case 'waggle.ssh.exploit':
      addUnique(s.cves, str(r.cve));
      addUnique(s.techniques, str(r.technique) || 'T1190');
      break;
    case 'cowrie.session.closed':
      s.closed = true;
      break;
    default:
      break;
  }
}
