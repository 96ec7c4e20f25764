import { parseCsvTable } from './csv.js';
import { parseMonth } from './months.js';
import { isWindowsRow, type AptProductSpec } from './products.js';
import type { AptProduct, AptProductVersion } from './types.js';
import { compareVersionKeys, majorLine, normalizeUpdate, normalizeVersion, versionKey } from './versions.js';

/** A row of `rel_product_CVE.csv`, trimmed. */
export interface ProductCveRow {
  readonly product: string;
  readonly version: string;
  readonly update: string;
  readonly os: string;
  readonly cve: string;
}

interface ReleaseRow {
  readonly key: string;
  readonly label: string;
  readonly release: number;
  readonly order: number;
}

interface Releases {
  readonly rows: ReleaseRow[];
  /** CVE named in the `advisory` column → first month a release naming it came out (Office KBs). */
  readonly fixedIn: Map<string, number>;
}

/**
 * Reads one release list: rows with a bad month are reported and dropped; versions released
 * after the period are dropped (they cannot be installed in it); a version listed several times
 * (one row per advisory) keeps its first release month.
 */
function readReleases(spec: AptProductSpec, text: string, periodEnd: number, problems: string[]): Releases {
  const source = `data_analysis/${spec.file}`;
  const { records } = parseCsvTable(text, source, ['version', 'update', 'release_date']);
  const byKey = new Map<string, ReleaseRow>();
  const fixedIn = new Map<string, number>();
  let late = 0;
  records.forEach((r, index) => {
    const release = parseMonth(r.release_date ?? '');
    if (release === undefined) {
      problems.push(`${source} row ${index + 2}: release_date "${r.release_date ?? ''}" is not YYYY-MM; row ignored`);
      return;
    }
    if (release > periodEnd) {
      late++;
      return;
    }
    const version = (r.version ?? '').trim();
    const update = normalizeUpdate(r.update ?? '');
    const kb = spec.cumulativeKb !== undefined;
    const key = kb ? `kb${update}` : versionKey(version, update);
    const label = kb ? `KB${update}` : update === '*' ? version : `${version} ${update}`;
    const previous = byKey.get(key);
    if (previous === undefined || release < previous.release) byKey.set(key, { key, label, release, order: Number(update) });
    // One row per (KB, fixed CVE): a KB fixing several CVEs has several rows.
    const advisory = (r.advisory ?? '').trim().toUpperCase();
    if (/^CVE-\d{4}-\d+$/.test(advisory)) fixedIn.set(advisory, Math.min(release, fixedIn.get(advisory) ?? Infinity));
  });
  if (late > 0) problems.push(`${source}: ${late} rows released after the period ignored`);
  return { rows: [...byKey.values()], fixedIn };
}

/**
 * NVD states affected versions as ranges ("up to X"); `rel_product_CVE.csv` expands them into
 * the versions of NVD's dictionary, which misses some vendor releases (Reader `8.1.2 su1`,
 * several Flash 10.3 builds). Left out, such a version looks safe forever and a reactive
 * strategy would "fix" a CVE by moving to it. Decision: within one major line, every version
 * between the oldest and the newest listed affected version is affected too. Other lines are
 * not touched, so a parallel line's fix (Flash 18 ESR next to 20) stays unaffected.
 * Returns how many links were added.
 */
function fillRanges(versions: readonly AptProductVersion[], affected: Map<string, Set<number>>, listed: ReadonlyMap<string, readonly string[]>): number {
  let added = 0;
  for (const [cve, keys] of listed) {
    // Bounds come from every key NVD lists, also those the release list spells differently
    // (NVD `2.7.1.1961` bounds the release list's `2.7.1`).
    const bounds = new Map<string, { low: string; high: string }>();
    for (const key of new Set(keys)) {
      const line = majorLine(key);
      const b = bounds.get(line);
      if (b === undefined) bounds.set(line, { low: key, high: key });
      else {
        if (compareVersionKeys(key, b.low) < 0) b.low = key;
        if (compareVersionKeys(key, b.high) > 0) b.high = key;
      }
    }
    const rows = affected.get(cve) ?? new Set<number>();
    versions.forEach((v, row) => {
      const b = bounds.get(majorLine(v.key));
      if (b === undefined || rows.has(row)) return;
      if (compareVersionKeys(v.key, b.low) > 0 && compareVersionKeys(v.key, b.high) < 0) {
        rows.add(row);
        added++;
      }
    });
    if (rows.size > 0) affected.set(cve, rows);
  }
  return added;
}

/**
 * Builds one product's versions (matrix rows) and its CVE → affected rows map.
 * Regular products: a version is affected when a Windows row of `rel_product_CVE.csv` names it.
 * Office 2016 (cumulative KBs): a CVE that NVD links to Office 2016 affects every KB released
 * before the month of the first KB that fixes it (the release list's `advisory` column).
 */
export function parseProduct(spec: AptProductSpec, text: string, links: readonly ProductCveRow[], periodEnd: number, problems: string[]): AptProduct {
  const { rows: releases, fixedIn } = readReleases(spec, text, periodEnd, problems);
  const kb = spec.cumulativeKb;
  releases.sort((a, b) => a.release - b.release || (kb !== undefined ? a.order - b.order : compareVersionKeys(a.key, b.key)));
  const versions: AptProductVersion[] = releases.map(({ key, label, release }) => ({ key, label, release }));
  const names = new Set(spec.nvdNames);
  const mine = links.filter((l) => names.has(l.product) && isWindowsRow(l.os));
  const affected = new Map<string, Set<number>>();
  const add = (cve: string, row: number): void => {
    const set = affected.get(cve) ?? new Set<number>();
    set.add(row);
    affected.set(cve, set);
  };
  if (kb === undefined) {
    const rowOf = new Map(versions.map((v, i) => [v.key, i]));
    const listed = new Map<string, string[]>();
    for (const l of mine) {
      const key = versionKey(l.version, l.update);
      if (key === '' || key === '-') continue;
      const keys = listed.get(l.cve);
      if (keys === undefined) listed.set(l.cve, [key]);
      else keys.push(key);
      const row = rowOf.get(key);
      if (row !== undefined) add(l.cve, row);
    }
    const filled = fillRanges(versions, affected, listed);
    if (filled > 0) problems.push(`${spec.label}: ${filled} (CVE, version) links added inside the affected ranges NVD lists (versions missing from its expansion, e.g. Reader "8.1.2 su1")`);
  } else {
    const cves = new Set(mine.filter((l) => normalizeVersion(l.version) === kb.nvdVersion).map((l) => l.cve));
    for (const cve of [...cves].sort()) {
      const fix = fixedIn.get(cve);
      if (fix === undefined) {
        // Counting it as never fixed would charge every strategy for a gap in the data.
        problems.push(`${spec.label}: ${cve} is linked to ${spec.label} but no KB in data_analysis/${spec.file} fixes it; not used for ${spec.label}`);
        continue;
      }
      versions.forEach((v, row) => {
        if (v.release < fix) add(cve, row);
      });
    }
  }
  return {
    id: spec.id,
    label: spec.label,
    versions,
    ordering: kb === undefined ? 'version' : 'release',
    affected: new Map([...affected].map(([cve, rows]) => [cve, [...rows].sort((a, b) => a - b)])),
  };
}
