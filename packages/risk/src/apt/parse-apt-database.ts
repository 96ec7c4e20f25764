import { InputError } from '@waggle/errors';
import { parseCsvTable } from './csv.js';
import { APT_PERIOD, formatMonth, parseMonth } from './months.js';
import { parseCampaigns } from './parse-campaigns.js';
import { parseProduct, type ProductCveRow } from './parse-products.js';
import { APT_PRODUCTS } from './products.js';
import type { AptCve, AptDatabase, AptProduct } from './types.js';

/** Upstream paths (relative to the data folder) of the files the model reads. */
export const APT_FILES = {
  campaigns: 'neo4j_db/raw_data/rel_threatactor_vulnerabilities.csv',
  productCves: 'neo4j_db/raw_data/rel_product_CVE.csv',
  vulnerabilities: 'neo4j_db/raw_data/Vulnerabilities.csv',
  vulnerabilitiesV2: 'data_analysis/Vulnerabilities_v2.csv',
  threatActors: 'neo4j_db/raw_data/ThreatActors.csv',
  aliases: 'neo4j_db/raw_data/Aliases.csv',
  techniques: 'neo4j_db/raw_data/rel_threatactor_techniques.csv',
} as const;

/** Files that must be present; the others only enrich reports. */
export const REQUIRED_APT_FILES: readonly string[] = [APT_FILES.campaigns, APT_FILES.productCves, ...APT_PRODUCTS.map((p) => `data_analysis/${p.file}`)];

/** The analysis period, as month numbers (defaults to the paper's 2008-01..2020-01). */
export interface AptPeriod {
  readonly start: number;
  readonly end: number;
}

function readCves(text: string, source: string, into: Map<string, AptCve>, problems: string[]): void {
  const { records } = parseCsvTable(text, source, ['CVE', 'reservedDate', 'publishedDate']);
  for (const r of records) {
    const id = (r.CVE ?? '').trim().toUpperCase();
    if (id === '') continue;
    const reserved = parseMonth(r.reservedDate ?? '');
    const published = parseMonth(r.publishedDate ?? '');
    const cve: AptCve = { id, ...(reserved === undefined ? {} : { reserved }), ...(published === undefined ? {} : { published }) };
    const known = into.get(id);
    if (known === undefined) into.set(id, cve);
    else if (known.reserved !== cve.reserved || known.published !== cve.published) problems.push(`${source}: ${id} has other dates than in the first vulnerability file; first kept`);
  }
}

function listMap(text: string | undefined, source: string, key: string, value: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (text === undefined) return map;
  for (const r of parseCsvTable(text, source, [key, value]).records) {
    const k = (r[key] ?? '').trim();
    const v = (r[value] ?? '').trim();
    if (k === '' || v === '') continue;
    const list = map.get(k) ?? [];
    if (!list.includes(v)) list.push(v);
    map.set(k, list);
  }
  return map;
}

/**
 * Builds the database from file contents keyed by upstream path (see `APT_FILES`); pure, so
 * tests can hand-build tiny databases. Missing required files and missing columns throw
 * `InputError` naming the file; row-level problems are collected in `problems`.
 */
export function parseAptDatabase(files: Readonly<Record<string, string | undefined>>, period: AptPeriod = APT_PERIOD): AptDatabase {
  const missing = REQUIRED_APT_FILES.filter((f) => files[f] === undefined);
  if (files[APT_FILES.vulnerabilities] === undefined && files[APT_FILES.vulnerabilitiesV2] === undefined) missing.push(`${APT_FILES.vulnerabilities} (or ${APT_FILES.vulnerabilitiesV2})`);
  if (missing.length > 0) throw new InputError(`APT database: missing file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  if (!(period.start <= period.end)) throw new InputError(`APT database: period start ${formatMonth(period.start)} is after its end ${formatMonth(period.end)}`);
  const problems: string[] = [];

  const cves = new Map<string, AptCve>();
  for (const path of [APT_FILES.vulnerabilities, APT_FILES.vulnerabilitiesV2]) {
    const text = files[path];
    if (text !== undefined) readCves(text, path, cves, problems);
  }

  const links: ProductCveRow[] = parseCsvTable(files[APT_FILES.productCves] as string, APT_FILES.productCves, ['product', 'version', 'update', 'product_os', 'CVE']).records.map((r) => ({
    product: (r.product ?? '').trim().toLowerCase(),
    version: (r.version ?? '').trim(),
    update: (r.update ?? '').trim(),
    os: (r.product_os ?? '').trim(),
    cve: (r.CVE ?? '').trim().toUpperCase(),
  }));
  const products: AptProduct[] = APT_PRODUCTS.map((spec) => parseProduct(spec, files[`data_analysis/${spec.file}`] as string, links, period.end, problems));

  const parsed = parseCampaigns(files[APT_FILES.campaigns] as string, APT_FILES.campaigns, problems);
  const inPeriod = parsed.campaigns.filter((c) => c.start >= period.start && c.start <= period.end);
  if (inPeriod.length < parsed.campaigns.length) problems.push(`${APT_FILES.campaigns}: ${parsed.campaigns.length - inPeriod.length} campaigns start outside ${formatMonth(period.start)}..${formatMonth(period.end)}; not considered`);
  const affectsAnalysed = (cve: string): boolean => products.some((p) => (p.affected.get(cve)?.length ?? 0) > 0);
  const considered = inPeriod.filter((c) => c.cves.some(affectsAnalysed)).sort((a, b) => a.start - b.start || a.apt.localeCompare(b.apt));
  const undated = [...new Set(considered.flatMap((c) => c.cves))].filter((c) => affectsAnalysed(c) && cves.get(c)?.published === undefined);
  if (undated.length > 0) problems.push(`no publication month for ${undated.join(', ')}: they cannot trigger the reactive strategies`);

  const actorNames = parseCsvTable(files[APT_FILES.threatActors] ?? 'name\n', APT_FILES.threatActors, ['name']).records.map((r) => (r.name ?? '').trim());
  const actors = [...new Set([...actorNames, ...parsed.campaigns.map((c) => c.apt)].filter((n) => n !== ''))].sort((a, b) => a.localeCompare(b));

  return {
    period: { start: period.start, end: period.end },
    products,
    campaigns: considered,
    cves,
    actors,
    aliases: listMap(files[APT_FILES.aliases], APT_FILES.aliases, 'name', 'alias'),
    techniques: listMap(files[APT_FILES.techniques], APT_FILES.techniques, 'name', 'technique'),
    stats: {
      campaignRows: parsed.campaignRows,
      cveRows: parsed.cveRows,
      vectorRows: parsed.vectorRows,
      campaignsWithCves: parsed.campaigns.length,
      campaignsInPeriod: inPeriod.length,
      campaignsConsidered: considered.length,
    },
    problems,
  };
}
