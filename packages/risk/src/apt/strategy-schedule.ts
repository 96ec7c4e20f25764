import type { AptStrategy } from './strategy.js';
import type { AptDatabase, AptProduct } from './types.js';
import { compareVersionKeys } from './versions.js';

/** The version every strategy starts from, and the month it is installed from. */
export interface StartVersion {
  readonly row: number;
  readonly from: number;
}

/**
 * The start version (same for all strategies): the oldest version affected by a CVE of a
 * considered campaign among those released by the first month of the period. Decision for
 * products whose release list starts later (Air 2008-02, Flash Player 2008-04, Office 2016
 * 2015-09): the first listed version, installed from its release month; before that month the
 * product is absent (its matrix columns are all 0), since no version of it could be installed.
 * If versions exist at the start but none is affected, the oldest of them.
 */
export function startVersion(db: AptDatabase, product: AptProduct): StartVersion | undefined {
  if (product.versions.length === 0) return undefined;
  const campaignCves = new Set(db.campaigns.flatMap((c) => c.cves));
  const affectedRows = new Set<number>();
  for (const cve of campaignCves) for (const row of product.affected.get(cve) ?? []) affectedRows.add(row);
  const available = product.versions.map((v, row) => ({ v, row })).filter(({ v }) => v.release <= db.period.start);
  if (available.length === 0) return { row: 0, from: (product.versions[0] as { release: number }).release };
  const pick = available.find(({ row }) => affectedRows.has(row)) ?? available[0];
  return { row: (pick as { row: number }).row, from: db.period.start };
}

/** Whether row `a` is newer than row `b` for this product (never true for a lower major line). */
export function isNewer(product: AptProduct, a: number, b: number): boolean {
  if (product.ordering === 'release') return a > b;
  return compareVersionKeys((product.versions[a] as { key: string }).key, (product.versions[b] as { key: string }).key) > 0;
}

/**
 * Immediate (delay 0) and Planned (delay k): in month m, the newest version released in the
 * period up to month m − k (several releases in one month: the newest). Releases from before
 * the period are not moves of the period, so every strategy keeps the common start version.
 */
function scheduleNewest(db: AptDatabase, product: AptProduct, start: StartVersion, delay: number, out: Int32Array): void {
  let cur = start.row;
  let next = 0;
  for (let t = 0; t < out.length; t++) {
    const m = db.period.start + t;
    if (m < start.from) continue;
    for (; next < product.versions.length && (product.versions[next] as { release: number }).release <= m - delay; next++) {
      if ((product.versions[next] as { release: number }).release >= db.period.start && isNewer(product, next, cur)) cur = next;
    }
    out[t] = cur;
  }
}

/** Per version: the (trigger month, CVE) pairs of the CVEs that affect it, by month. */
function triggersByRow(db: AptDatabase, product: AptProduct, date: 'published' | 'reserved'): { month: number; cve: string }[][] {
  const rows: { month: number; cve: string }[][] = product.versions.map(() => []);
  for (const [cve, affected] of product.affected) {
    const month = db.cves.get(cve)?.[date];
    if (month === undefined) continue;
    for (const row of affected) rows[row]?.push({ month, cve });
  }
  for (const list of rows) list.sort((a, b) => a.month - b.month || a.cve.localeCompare(b.cve));
  return rows;
}

/**
 * Reactive (trigger = NVD publication) and Informed reactive (trigger = MITRE reservation):
 * stay on the installed version until a CVE affecting it is known; then move, k months after
 * the later of the trigger month and the release of the fix, to the first version released
 * after the installed one that no CVE of that trigger month affects. Decisions: CVEs that
 * became known in the same month are handled together; if several months' CVEs are known, the
 * earliest one that has a fix is reacted to first; a CVE known before a version is installed
 * triggers in the installation month; the move happens even if the target is hit by other
 * known CVEs, which then trigger a further reaction; with k = 0 the move is in the same month.
 */
function scheduleReactive(db: AptDatabase, product: AptProduct, start: StartVersion, delay: number, date: 'published' | 'reserved', out: Int32Array): void {
  const triggers = triggersByRow(db, product, date);
  const affectedSets = new Map([...product.affected].map(([cve, rows]) => [cve, new Set(rows)]));
  const affects = (cve: string, row: number): boolean => affectedSets.get(cve)?.has(row) === true;
  let cur = start.row;
  let pending: { target: number; due: number } | undefined;
  const planMove = (m: number): void => {
    const known = (triggers[cur] ?? []).filter((tr) => tr.month <= m);
    for (const month of [...new Set(known.map((k) => k.month))]) {
      const cves = known.filter((k) => k.month === month).map((k) => k.cve);
      for (let r = cur + 1; r < product.versions.length && (product.versions[r] as { release: number }).release <= m; r++) {
        if (isNewer(product, r, cur) && !cves.some((cve) => affects(cve, r))) {
          pending = { target: r, due: m + delay };
          return;
        }
      }
    }
  };
  for (let t = 0; t < out.length; t++) {
    const m = db.period.start + t;
    if (m < start.from) continue;
    // Bounded: each pass installs a strictly newer version or stops.
    for (;;) {
      if (pending !== undefined && pending.due <= m) {
        cur = pending.target;
        pending = undefined;
      }
      if (pending === undefined) planMove(m);
      if (pending === undefined || pending.due > m) break;
    }
    out[t] = cur;
  }
}

/**
 * The installed version (row index) of `product` in each month of the period under a strategy,
 * -1 where the product is not installed yet. This is the optimistic strategy matrix, one
 * installed version per month, stored as its column → row map.
 */
export function installedSchedule(db: AptDatabase, product: AptProduct, strategy: AptStrategy, delay: number): Int32Array {
  const out = new Int32Array(db.period.end - db.period.start + 1).fill(-1);
  const start = startVersion(db, product);
  if (start === undefined) return out;
  switch (strategy) {
    case 'immediate':
      scheduleNewest(db, product, start, 0, out);
      break;
    case 'planned':
      scheduleNewest(db, product, start, delay, out);
      break;
    case 'reactive':
      scheduleReactive(db, product, start, delay, 'published', out);
      break;
    case 'informed-reactive':
      scheduleReactive(db, product, start, delay, 'reserved', out);
      break;
  }
  return out;
}
