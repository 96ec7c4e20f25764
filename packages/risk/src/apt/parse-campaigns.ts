import { parseCsvTable } from './csv.js';
import { formatMonth, parseMonth } from './months.js';
import type { AptCampaign } from './types.js';

/**
 * Normalises a CVE id as the campaign file writes it: `CVE 2012-0158`, `CVE-2010-3333.` and
 * `CVE-2014-0810\n` all occur. Returns undefined when the value is not a CVE (an attack vector).
 */
export function normalizeCveId(value: string): string | undefined {
  const m = /^\s*cve[\s_-]*(\d{4})[\s_-]+(\d{4,})[\s.,;]*$/i.exec(value);
  return m === null ? undefined : `CVE-${m[1] as string}-${m[2] as string}`;
}

/** Campaign rows read from `rel_threatactor_vulnerabilities.csv`, grouped into campaigns. */
export interface ParsedCampaigns {
  /** Every (APT, start month) with at least one CVE, in file order of first appearance. */
  readonly campaigns: readonly AptCampaign[];
  readonly campaignRows: number;
  readonly cveRows: number;
  readonly vectorRows: number;
}

/**
 * Groups rows into campaigns: one APT with one start month. Rows of the same APT and month
 * that name CVEs belong to one campaign even when they come from different reports; rows that
 * are not CVE ids are attack vectors, attached to the campaign of the same APT and month.
 */
export function parseCampaigns(text: string, source: string, problems: string[]): ParsedCampaigns {
  const { records } = parseCsvTable(text, source, ['name', 'vulnerability', 'date_start']);
  const groups = new Map<string, { apt: string; start: number; cves: Set<string>; vectors: Set<string> }>();
  let cveRows = 0;
  let vectorRows = 0;
  records.forEach((r, index) => {
    const line = `${source} row ${index + 2}`;
    const apt = (r.name ?? '').trim();
    const raw = (r.vulnerability ?? '').trim();
    const start = parseMonth(r.date_start ?? '');
    if (apt === '' || raw === '') {
      problems.push(`${line}: empty APT name or vulnerability; row ignored`);
      return;
    }
    if (start === undefined) {
      problems.push(`${line}: date_start "${r.date_start ?? ''}" is not YYYY-MM; row ignored`);
      return;
    }
    const key = `${apt}@${formatMonth(start)}`;
    const group = groups.get(key) ?? { apt, start, cves: new Set<string>(), vectors: new Set<string>() };
    groups.set(key, group);
    const cve = normalizeCveId(raw);
    if (cve === undefined) {
      vectorRows++;
      group.vectors.add(raw);
      return;
    }
    cveRows++;
    if (cve !== (r.vulnerability ?? '')) problems.push(`${line}: CVE id ${JSON.stringify(r.vulnerability ?? '')} read as ${cve}`);
    group.cves.add(cve);
  });
  const campaigns: AptCampaign[] = [];
  for (const [id, g] of groups) {
    if (g.cves.size === 0) continue;
    campaigns.push({ id, apt: g.apt, start: g.start, cves: [...g.cves].sort(), vectors: [...g.vectors].sort() });
  }
  return { campaigns, campaignRows: records.length, cveRows, vectorRows };
}
