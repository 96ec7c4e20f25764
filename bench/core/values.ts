import type { Prng } from './prng.js';

/**
 * Value factories for the attribute types of the workload. Every factory
 * returns the value in the normalised form the server stores (lowercase
 * hashes and domains, compressed IPv6, bare port numbers...), so a value
 * looked up later is byte-for-byte what was sent.
 */
export type ValueFactory = (r: Prng) => string;

const SYLLABLES = 'ka to mi ra shu ne lo vi da ze po ri gu ta be no sa ki mo lu fe xa qi yo wu ha te ji co de fi go bu ny ze pi'.split(' ');
const TLDS = ['com', 'net', 'org', 'info', 'ru', 'cn', 'io', 'xyz', 'top', 'biz', 'de', 'co', 'online', 'site'];
const HOST_PREFIXES = ['www', 'mail', 'cdn', 'api', 'update', 'login', 'secure', 'portal', 'static', 'dl', 'vpn', 'ns1'];
const FILE_BASES = ['invoice', 'payload', 'update', 'setup', 'report', 'document', 'scan', 'order', 'loader', 'svchost', 'agent', 'dropper', 'readme', 'payment'];
const FILE_EXTS = ['exe', 'dll', 'js', 'vbs', 'docm', 'xlsm', 'zip', 'iso', 'lnk', 'ps1', 'bat', 'scr', 'pdf', 'hta'];
const URL_PATHS = ['wp-content', 'images', 'admin', 'gate', 'panel', 'files', 'download', 'api', 'uploads', 'js', 'static', 'tmp'];
const FIRST_NAMES = ['anna', 'ben', 'chen', 'dmitri', 'eva', 'farid', 'grace', 'hugo', 'ines', 'jon', 'kemal', 'lena', 'marco', 'nadia', 'omar', 'priya'];
const COMMON_PORTS = ['80', '443', '8080', '8443', '4444', '53', '22', '3389', '445', '1337', '6667', '9001'];
const THEMES = ['phishing wave', 'ransomware intrusion', 'credential harvesting', 'banking trojan', 'botnet C2', 'supply-chain compromise', 'cryptominer', 'espionage campaign'];
const TEXT_SNIPPETS = [
  'Observed during incident response',
  'Seen in sandbox detonation, beaconing every 60s',
  'Reported by partner CERT, "high" confidence',
  'Delivered via malicious attachment',
  'Related infrastructure, shared hosting',
  'First stage downloader',
];

const syllables = (r: Prng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += r.pick(SYLLABLES);
  return s;
};

/** A registered-domain-like name: `kamira1234.net`. */
export const domain: ValueFactory = (r) => `${syllables(r, r.int(2, 3))}${r.chance(0.7) ? String(r.int(1, 9999)) : ''}.${r.pick(TLDS)}`;

/** A fully qualified host name under a domain. */
export const hostname: ValueFactory = (r) => `${r.pick(HOST_PREFIXES)}${r.chance(0.3) ? String(r.int(1, 99)) : ''}.${domain(r)}`;

/** A public-looking IPv4 address (no 0/8, 10/8, 127/8 or multicast). */
export const ipv4: ValueFactory = (r) => {
  let a = r.int(1, 223);
  if (a === 10 || a === 127) a += 1;
  return `${a}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
};

const group = (r: Prng): string => r.int(1, 0xffff).toString(16);

/** `ip-src`/`ip-dst`: mostly IPv4, some IPv6 (already in compressed form), a few /24 blocks. */
export const ipValue: ValueFactory = (r) => {
  const x = r.next();
  if (x < 0.94) return ipv4(r);
  if (x < 0.99) return `2a02:${group(r)}:${group(r)}:${group(r)}::${group(r)}`;
  const [a, b, c] = ipv4(r).split('.');
  return `${a ?? '1'}.${b ?? '0'}.${c ?? '0'}.0/24`;
};

/** A port number without leading zeros. */
export const portNumber: ValueFactory = (r) => (r.chance(0.6) ? r.pick(COMMON_PORTS) : String(r.int(1024, 65535)));

/** A malware-ish file name. */
export const fileName: ValueFactory = (r) => `${r.pick(FILE_BASES)}_${String(r.int(1, 99999))}.${r.pick(FILE_EXTS)}`;

/** A URL on a host name or an address. */
export const url: ValueFactory = (r) => {
  const host = r.chance(0.2) ? ipv4(r) : r.chance(0.5) ? hostname(r) : domain(r);
  const scheme = r.chance(0.6) ? 'https' : 'http';
  return `${scheme}://${host}/${r.pick(URL_PATHS)}/${r.hex(r.int(4, 10))}.${r.pick(['php', 'html', 'bin', 'exe', 'js', 'aspx'])}${r.chance(0.3) ? `?id=${r.hex(8)}` : ''}`;
};

/** A sender address. */
export const emailAddress: ValueFactory = (r) => `${r.pick(FIRST_NAMES)}.${syllables(r, 2)}${String(r.int(1, 999))}@${domain(r)}`;

/** A CVE identifier. */
export const cve: ValueFactory = (r) => `CVE-${String(r.int(2010, 2025))}-${String(r.int(1000, 49999))}`;

/** Free text (some with quotes and commas, which CSV has to escape). */
export const freeText: ValueFactory = (r) => `${r.pick(TEXT_SNIPPETS)} (${r.pick(THEMES)}, ref ${r.hex(6)})`;

/** A run key. */
export const registryKey: ValueFactory = (r) => `HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\${syllables(r, 2)}${r.hex(4)}`;

/** A reference link to a write-up. */
export const link: ValueFactory = (r) => `https://${r.pick(['blog', 'research', 'intel', 'labs'])}.${domain(r)}/${String(r.int(2018, 2025))}/${syllables(r, 3)}-${r.hex(4)}`;

/** An autonomous system number as MISP stores it (bare decimal). */
export const asNumber: ValueFactory = (r) => String(r.int(1000, 400000));

/** A theme for event titles. */
export const theme = (r: Prng): string => r.pick(THEMES);
