import { compareTaxiiTimestamps } from './timestamp.js';
import type { TaxiiFilter } from './filter.js';

/** What version selection needs to know about one stored object version. */
export interface TaxiiRecordMeta {
  readonly id: string;
  readonly type: string;
  /** The object's version timestamp (see versionOf). */
  readonly version: string;
  /** When this version was added to the collection. */
  readonly dateAdded: string;
  /** The object's STIX spec_version. */
  readonly specVersion: string;
}

/**
 * Applies a TAXII filter's selection rules (section 3.4) to a set of stored
 * object versions and returns the matches ordered by date added (ties keep input
 * order). Order of application: id and type; `match[spec_version]` (default:
 * each object's latest spec version); `match[version]` over the object's whole
 * history (first/last/all/specific, unioned); then `added_after` on what was
 * selected. So `last` + `added_after` yields objects whose latest version is new,
 * never an older version that happened to be added late. Paging (`limit`,
 * `next`) is the caller's business.
 */
export function selectTaxiiRecords<T extends TaxiiRecordMeta>(records: readonly T[], filter: Pick<TaxiiFilter, 'addedAfter' | 'match'>): T[] {
  const ids = new Set(filter.match.id);
  const types = new Set(filter.match.type);
  const specs = new Set(filter.match.specVersion);
  const byId = new Map<string, { index: number; record: T }[]>();
  records.forEach((record, index) => {
    if (ids.size > 0 && !ids.has(record.id)) return;
    if (types.size > 0 && !types.has(record.type)) return;
    if (specs.size > 0 && !specs.has(record.specVersion)) return;
    const list = byId.get(record.id) ?? [];
    list.push({ index, record });
    byId.set(record.id, list);
  });
  const chosen: { index: number; record: T }[] = [];
  for (const versions of byId.values()) {
    const latestSpec = specs.size > 0 ? versions : onlyLatestSpec(versions);
    for (const c of pickVersions(latestSpec, filter.match.version)) {
      if (filter.addedAfter === undefined || compareTaxiiTimestamps(c.record.dateAdded, filter.addedAfter) > 0) chosen.push(c);
    }
  }
  chosen.sort((a, b) => compareTaxiiTimestamps(a.record.dateAdded, b.record.dateAdded) || a.index - b.index);
  return chosen.map((c) => c.record);
}

function onlyLatestSpec<T extends TaxiiRecordMeta>(versions: { index: number; record: T }[]): { index: number; record: T }[] {
  const latest = versions.reduce((best, v) => (compareSpec(v.record.specVersion, best) > 0 ? v.record.specVersion : best), versions[0]?.record.specVersion ?? '');
  return versions.filter((v) => v.record.specVersion === latest);
}

function compareSpec(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

function pickVersions<T extends TaxiiRecordMeta>(versions: { index: number; record: T }[], wanted: TaxiiFilter['match']['version']): { index: number; record: T }[] {
  if (versions.length === 0) return [];
  if (wanted.some((w) => w.kind === 'all')) return versions;
  const byVersion = [...versions].sort((a, b) => compareTaxiiTimestamps(a.record.version, b.record.version) || a.index - b.index);
  const picked = new Set<{ index: number; record: T }>();
  for (const w of wanted) {
    if (w.kind === 'first') picked.add(byVersion[0] as { index: number; record: T });
    else if (w.kind === 'last') picked.add(byVersion[byVersion.length - 1] as { index: number; record: T });
    else if (w.kind === 'at') for (const v of versions) if (compareTaxiiTimestamps(v.record.version, w.timestamp) === 0) picked.add(v);
  }
  return versions.filter((v) => picked.has(v));
}
