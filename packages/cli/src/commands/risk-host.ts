import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { InputError, UnavailableError } from '@waggle/errors';
import {
  createOsvIndex, inferDebianRelease, loadOsv, matchInventory, parseDpkgStatus, parseEpssCsv, parseKev, parseSoftwareList,
  type EpssScore, type InstalledPackage, type InventoryPackage, type KevEntry, type OsvIndex, type SoftwareItem,
} from '@waggle/inventory';
import { assessHost, mergeEvidence, parseEvidence, parseListeningServices, readProcListeners, type Evidence, type HostRisk, type ListeningService, type VulnerabilityRisk } from '@waggle/risk';
import { fetchWaggleEvidence } from './risk-evidence-fetch.js';

type WithStore = (c: Command) => Command;
type Json = Record<string, unknown>;

interface InventoryOptions {
  dpkgStatus: string;
  packages?: string;
  json?: boolean;
}

/** Options of `waggle risk host` (and `risk watch`). */
export interface HostOptions extends InventoryOptions {
  osv: string;
  kev?: string;
  epss?: string;
  release?: string;
  listening?: string;
  proc?: boolean;
  evidence?: string;
  host?: string;
  reportTo?: string;
  key?: string;
  evidenceFrom?: string;
  sector?: string;
  evidenceDays?: string;
}

const VULNERABILITY_TEMPLATE = { uuid: '81650945-f186-437b-8945-9f31715d32da', version: '12' };
// RFC 4122 URL namespace: the names below are URL-like (waggle:risk-host:<host>…).
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** RFC 4122 version-5 UUID: the same host always maps to the same event, object and attribute UUIDs. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The host's software: dpkg packages plus an optional CPE/purl list. */
function readInventory(opts: InventoryOptions, warn: (m: string) => void): { dpkg: InstalledPackage[]; items: SoftwareItem[] } {
  const status = parseDpkgStatus(readText(opts.dpkgStatus, 'dpkg status'));
  for (const s of status.skipped) if (!s.reason.startsWith('not installed')) warn(`dpkg status line ${s.line}${s.package !== undefined ? ` (${s.package})` : ''}: ${s.reason}`);
  const items = opts.packages === undefined ? [] : parseSoftwareList(readText(opts.packages, 'software list'));
  return { dpkg: status.packages, items };
}

function printInventory(dpkg: readonly InstalledPackage[], items: readonly SoftwareItem[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ packages: dpkg, software: items }, null, 2)}\n`);
    return;
  }
  const rows = [['PACKAGE', 'VERSION', 'ARCH', 'SOURCE', 'SOURCE VERSION', 'ECOSYSTEM'], ...dpkg.map((p) => [p.name, p.version, p.architecture, p.source, p.sourceVersion, p.ecosystem]), ...items.map((i) => [i.name, i.version, i.architecture ?? '-', '-', '-', i.ecosystem])];
  process.stdout.write(table(rows));
  process.stdout.write(`${dpkg.length} installed packages${items.length > 0 ? `, ${items.length} other software items` : ''}\n`);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

const pct = (p: number): string => (p >= 0.0001 ? p.toFixed(4) : p.toExponential(1));
const factorText = (v: VulnerabilityRisk): string => v.factors.map((f) => `${f.name} ${f.multiplier.toPrecision(3)}`).join(' × ');

function printRisk(r: HostRisk): void {
  const out: string[] = [];
  out.push(`host ${r.host ?? '-'}: compromise probability ${pct(r.probability)} (next 30 days, noisy-OR of ${r.vulnerabilities.length} vulnerabilities)`);
  out.push(`  = ${r.formula}`, '');
  if (r.vulnerabilities.length > 0) {
    const rows = [['VULNERABILITY', 'P', 'EPSS', 'KEV', 'EXPOSURE', 'PACKAGES', 'FACTORS (multiply to P)']];
    for (const v of r.vulnerabilities) rows.push([v.id, pct(v.probability), v.epss === undefined ? '-' : v.epss.toFixed(4), v.kev ? 'yes' : '-', v.exposure, v.packages.join(','), factorText(v)]);
    out.push(table(rows));
    out.push('top contributors (how much the host figure drops without each):');
    for (const c of r.topContributors) out.push(`  ${c.id}  p=${pct(c.probability)}  −${pct(c.marginal)}`);
    out.push('', 'patch first:');
    r.patchFirst.forEach((a, i) => out.push(`  ${i + 1}. ${a.source} → ${a.upgradeTo} (${a.packages.join(', ')}): −${pct(a.reduction)} → ${pct(a.probabilityAfter)}; fixes ${a.fixes.join(', ')}${a.unfixed.length > 0 ? `; still open: ${a.unfixed.join(', ')}` : ''}`));
  }
  if (r.notes.length > 0) out.push('', 'notes:', ...r.notes.map((n) => `  - ${n}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

/** What stays the same between two assessments of a host: vulnerability data, KEV, EPSS. */
export interface RiskKnowledge {
  readonly index: OsvIndex;
  readonly kev: ReadonlyMap<string, KevEntry>;
  readonly epss: ReadonlyMap<string, EpssScore>;
}

/** Loads the OSV records, KEV catalogue and EPSS scores named on the command line (the slow part; `risk watch` does it once). */
export function loadKnowledge(opts: HostOptions, warn: (m: string) => void): RiskKnowledge {
  const osv = loadOsv(opts.osv);
  for (const p of osv.problems) warn(`OSV ${p.file}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.reason} (skipped)`);
  const index = createOsvIndex(osv.records);
  for (const p of index.problems) warn(`OSV ${p.id}: ${p.reason} (skipped)`);
  const kev: ReadonlyMap<string, KevEntry> = opts.kev === undefined ? new Map() : parseKev(readText(opts.kev, 'KEV catalogue')).entries;
  const epss: ReadonlyMap<string, EpssScore> = opts.epss === undefined ? new Map() : parseEpssCsv(readText(opts.epss, 'EPSS file')).scores;
  return { index, kev, epss };
}

/** The number of days of `--evidence-days`. */
export function evidenceDays(raw: string | undefined): number {
  const days = Number(raw ?? '30');
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new InputError(`--evidence-days must be a whole number of days between 1 and 3650, got "${raw ?? ''}"`);
  return days;
}

/** A host's risk and, when evidence came from a server, the vulnerability attributes it holds (what `risk watch` listens for). */
export interface ComputedRisk {
  readonly risk: HostRisk;
  readonly attributeUuids: ReadonlySet<string>;
}

/**
 * Computes the host's risk from the files named on the command line, with
 * evidence from `--evidence FILE` and/or the server of `--evidence-from`
 * (asked for the CVEs this host has), merged.
 */
export async function computeRisk(opts: HostOptions, warn: (m: string) => void, knowledge: RiskKnowledge = loadKnowledge(opts, warn), key?: string): Promise<ComputedRisk> {
  const { dpkg, items } = readInventory(opts, warn);
  const release = opts.release ?? inferDebianRelease(dpkg);
  if (release !== undefined && !/^Debian:\d+$/.test(release)) throw new InputError(`--release must look like Debian:12, got "${release}"`);
  const all: InventoryPackage[] = [...dpkg, ...items];
  const findings = matchInventory(all, knowledge.index, release === undefined ? {} : { release });
  if (opts.listening !== undefined && opts.proc === true) throw new InputError('use either --listening FILE or --proc, not both');
  let exposure: ListeningService[] | undefined;
  const notes: string[] = [];
  if (opts.listening !== undefined) exposure = parseListeningServices(readText(opts.listening, 'listening services'));
  if (opts.proc === true) {
    const proc = readProcListeners();
    exposure = proc.services;
    notes.push(...proc.notes);
  }
  const host = opts.host ?? hostname();
  const fromFile = opts.evidence === undefined ? {} : parseEvidence(readText(opts.evidence, 'evidence'));
  let evidence: Evidence = fromFile;
  let attributeUuids: ReadonlySet<string> = new Set();
  if (opts.evidenceFrom !== undefined) {
    if (key === undefined || key === '') throw new InputError('--evidence-from needs --key (or WAGGLE_REPORT_KEY)');
    const cves = [...new Set(findings.flatMap((f) => f.cves))].sort();
    const fetched = await fetchWaggleEvidence({ url: opts.evidenceFrom, key, host, ...(opts.sector !== undefined ? { sector: opts.sector } : {}), days: evidenceDays(opts.evidenceDays), ownEventUuid: uuidV5(`waggle:risk-host:${host}`) }, cves);
    evidence = mergeEvidence(fromFile, fetched.evidence);
    attributeUuids = fetched.attributeUuids;
    notes.push(...fetched.notes);
  }
  const risk = assessHost({ findings, kev: knowledge.kev, epss: knowledge.epss, packages: dpkg, evidence, ...(exposure !== undefined ? { exposure } : {}) }, { host });
  const extra = [...(release === undefined ? ['Debian release unknown (no base-files, no --release): every release\'s advisories were tried'] : []), ...(opts.kev === undefined ? ['no --kev: KEV not taken into account'] : []), ...(opts.epss === undefined ? ['no --epss: every CVE uses the low prior'] : []), ...notes];
  return { risk: { ...risk, notes: [...risk.notes, ...extra] }, attributeUuids };
}

/** The vulnerability object of one assessed vulnerability, with UUIDs stable per host and CVE. */
function vulnerabilityObject(host: string, v: VulnerabilityRisk): Json {
  const uuid = uuidV5(`waggle:risk-host:${host}:${v.id}`);
  const attr = (relation: string, type: string, value: string, category = 'External analysis'): Json => ({ uuid: uuidV5(`waggle:risk-host:${host}:${v.id}:${relation}:${relation === 'references' ? value : ''}`), object_relation: relation, type, category, value, to_ids: false });
  const isCve = /^CVE-\d{4}-\d{4,}$/.test(v.id);
  const fixes = Object.entries(v.fixedVersions).map(([s, f]) => `${s} ${f}`).join(', ');
  const description = [
    `Compromise probability through ${v.id} on ${host}: ${v.probability.toPrecision(4)} = ${v.factors.map((f) => f.multiplier.toPrecision(4)).join(' × ')}.`,
    ...v.factors.map((f) => `- ${f.name}: ${f.reason}`),
    `Packages: ${v.packages.join(', ')} (source ${v.sources.join(', ')}); advisories: ${v.advisories.join(', ')}; fixed in: ${fixes === '' ? 'no fix known' : fixes}.`,
  ].join('\n');
  return {
    name: 'vulnerability',
    'meta-category': 'vulnerability',
    description: 'Vulnerability object describing a common vulnerability enumeration which can describe published, unpublished, under review or embargo vulnerability for software, equipments or hardware.',
    template_uuid: VULNERABILITY_TEMPLATE.uuid,
    template_version: VULNERABILITY_TEMPLATE.version,
    uuid,
    distribution: '5',
    comment: `waggle host risk: p=${v.probability.toPrecision(4)}, exposure ${v.exposure}${v.kev ? ', CISA KEV' : ''}`,
    Attribute: [
      ...(isCve ? [attr('id', 'vulnerability', v.id), attr('references', 'link', `https://nvd.nist.gov/vuln/detail/${v.id}`)] : []),
      attr('summary', 'text', `${isCve ? '' : `${v.id}: `}${v.summary ?? `${v.id} in ${v.sources.join(', ')}`}`),
      attr('description', 'text', description),
    ],
  };
}

/** The MISP event of a host's risk report. */
export function hostRiskEvent(host: string, r: HostRisk, today: string): Json {
  const eventUuid = uuidV5(`waggle:risk-host:${host}`);
  const a = (key: string, type: string, value: string, comment: string): Json => ({ uuid: uuidV5(`waggle:risk-host:${host}:event:${key}`), type, category: 'Other', value, comment, to_ids: false, distribution: '5' });
  return {
    uuid: eventUuid,
    info: `Host risk report: ${host} (compromise probability ${r.probability.toPrecision(4)})`,
    date: today,
    distribution: '0',
    threat_level_id: r.probability >= 0.5 ? '1' : r.probability >= 0.1 ? '2' : '3',
    analysis: '2',
    Tag: [{ name: 'waggle:host-risk' }, { name: `waggle:host="${host}"` }, { name: 'tlp:amber' }],
    Attribute: [
      a('probability', 'float', r.probability.toFixed(6), 'waggle host compromise probability, next 30 days (noisy-OR over vulnerabilities)'),
      a('host', 'text', host, 'host assessed'),
      a('formula', 'text', r.formula, 'noisy-OR with the per-vulnerability probabilities'),
      a('patch-first', 'text', r.patchFirst.map((p, i) => `${i + 1}. ${p.source} → ${p.upgradeTo} (−${p.reduction.toPrecision(3)})`).join('\n') || 'nothing to patch', 'upgrades ordered by marginal risk reduction'),
    ],
    Object: r.vulnerabilities.map((v) => vulnerabilityObject(host, v)),
  };
}

/**
 * Stores the report on a waggle (or MISP) server through the MISP REST API:
 * `events/view/<uuid>` tells whether the host was reported before; then
 * `events/add`, or `events/edit` with the same UUIDs, marking vulnerability
 * objects that are gone (patched) as deleted.
 */
export async function reportHostRisk(baseUrl: string, key: string, event: Json): Promise<{ action: 'created' | 'updated'; id: string; uuid: string }> {
  const url = baseUrl.replace(/\/+$/, '');
  const headers = { Authorization: key, Accept: 'application/json', 'Content-Type': 'application/json' };
  const call = async (path: string, body?: Json): Promise<{ status: number; json: Json }> => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new UnavailableError(`cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const text = await res.text();
    let json: Json = {};
    try {
      json = text === '' ? {} : (JSON.parse(text) as Json);
    } catch {
      json = { message: text.slice(0, 200) };
    }
    return { status: res.status, json };
  };
  const uuid = event.uuid as string;
  const existing = await call(`/events/view/${uuid}`);
  if (existing.status === 401 || existing.status === 403) throw new InputError(`${url} refused the key (HTTP ${existing.status})`);
  let result: { status: number; json: Json };
  let action: 'created' | 'updated';
  if (existing.status === 200) {
    const old = ((existing.json.Event as Json | undefined)?.Object ?? []) as Json[];
    const keep = new Set((event.Object as Json[]).map((o) => o.uuid));
    const gone = old.filter((o) => o.name === 'vulnerability' && !keep.has(o.uuid) && o.deleted !== true).map((o) => ({ uuid: o.uuid, name: 'vulnerability', deleted: true, Attribute: [] }));
    result = await call(`/events/edit/${uuid}`, { Event: { ...event, Object: [...(event.Object as Json[]), ...gone] } });
    action = 'updated';
  } else if (existing.status === 404) {
    result = await call('/events/add', { Event: event });
    action = 'created';
  } else {
    throw new UnavailableError(`${url}/events/view answered HTTP ${existing.status}: ${JSON.stringify(existing.json).slice(0, 200)}`);
  }
  if (result.status !== 200) throw new InputError(`${url} rejected the report (HTTP ${result.status}): ${JSON.stringify(result.json).slice(0, 300)}`);
  const saved = result.json.Event as Json | undefined;
  return { action, id: String(saved?.id ?? ''), uuid };
}

/** Checks `--report-to`, `--evidence-from` and `--key` before anything slow is done. */
export function checkServerOptions(opts: HostOptions, key: string | undefined): void {
  for (const [flag, url] of [['--report-to', opts.reportTo], ['--evidence-from', opts.evidenceFrom]] as const) {
    if (url === undefined) continue;
    if (key === undefined || key === '') throw new InputError(`${flag} needs --key (or WAGGLE_REPORT_KEY)`);
    if (!URL.canParse(url)) throw new InputError(`${flag} is not a URL: ${url}`);
  }
  if (opts.sector !== undefined && opts.evidenceFrom === undefined) throw new InputError('--sector needs --evidence-from (the server that knows the sector\'s threat actors)');
  if (opts.sector !== undefined && opts.sector.trim() === '') throw new InputError('--sector must not be empty');
  evidenceDays(opts.evidenceDays);
}

/** Registers `waggle inventory` and `waggle risk host` (the `risk` group is shared with `risk apt`). */
export function registerRiskHostCommands(program: Command, _withStore: WithStore): void {
  const warn = (m: string): void => {
    process.stderr.write(`warning: ${m}\n`);
  };
  program
    .command('inventory')
    .description('list the installed software of a host (dpkg status, plus CPE/purl lists), with source packages')
    .option('--dpkg-status <file>', 'dpkg status file', '/var/lib/dpkg/status')
    .option('--packages <file>', 'software list: one CPE 2.3 string or package URL per line')
    .option('--json', 'JSON output')
    .action((opts: InventoryOptions) => {
      const { dpkg, items } = readInventory(opts, warn);
      printInventory(dpkg, items, opts.json === true);
    });

  const risk = program.commands.find((c) => c.name() === 'risk') ?? program.command('risk').description('compromise-probability models: per-host risk, APT update strategies');
  risk
    .command('host')
    .description("a host's probability of compromise through known vulnerabilities (EPSS, KEV, exposure, evidence), explained")
    .option('--dpkg-status <file>', 'dpkg status file', '/var/lib/dpkg/status')
    .option('--packages <file>', 'software list: one CPE 2.3 string or package URL per line')
    .requiredOption('--osv <path>', 'OSV records: a folder (searched recursively for *.json) or one JSON file')
    .option('--kev <file>', 'CISA KEV catalogue (known_exploited_vulnerabilities.json)')
    .option('--epss <file>', 'EPSS scores CSV (cve,epss,percentile)')
    .option('--release <ecosystem>', 'Debian release as an OSV ecosystem, e.g. Debian:12 (default: from base-files)')
    .option('--listening <file>', 'JSON list of listening services [{ port, address, process, package }]')
    .option('--proc', 'read listening sockets from /proc/net/tcp and tcp6')
    .option('--evidence <file>', 'JSON evidence: { sightings, alerts, actors }')
    .option('--evidence-from <url>', 'also take evidence from this waggle/MISP server: sightings of the host\'s CVEs, alerts on the host, actors of --sector')
    .option('--sector <name>', 'the host\'s sector, as in misp-galaxy:sector="<name>" (threat actors targeting it)')
    .option('--evidence-days <n>', 'sightings and alerts of the last n days count', '30')
    .option('--host <name>', 'host name used in the report (default: this machine\'s)')
    .option('--json', 'JSON output')
    .option('--report-to <url>', 'store the report as a MISP event on this waggle/MISP server')
    .option('--key <key>', 'API key for --report-to and --evidence-from (or WAGGLE_REPORT_KEY)')
    .action(async (opts: HostOptions) => {
      const key = opts.key ?? process.env.WAGGLE_REPORT_KEY;
      checkServerOptions(opts, key);
      const { risk: r } = await computeRisk(opts, warn, undefined, key);
      if (opts.json === true) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else printRisk(r);
      if (opts.reportTo !== undefined && key !== undefined) {
        const host = r.host ?? hostname();
        const saved = await reportHostRisk(opts.reportTo, key, hostRiskEvent(host, r, new Date().toISOString().slice(0, 10)));
        process.stderr.write(`report ${saved.action}: event ${saved.id} (${saved.uuid}) on ${opts.reportTo}\n`);
      }
    });
}
