import type { InventoryPackage } from '../software/inventory-package.js';
import type { OsvSeverity } from './osv-record.js';
import type { IndexedAffected, OsvIndex } from './osv-index.js';
import { ecosystemBase } from './version-scheme.js';

/** One vulnerability affecting one installed package. */
export interface Finding {
  readonly package: string;
  readonly architecture?: string;
  /** The name the vulnerability data is keyed by (Debian: the source package). */
  readonly source: string;
  readonly installedVersion: string;
  /** Ecosystem of the matching `affected[]` entry, e.g. `Debian:12`. */
  readonly ecosystem: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
  /** CVE ids: the record's id when it is one, and its CVE aliases. */
  readonly cves: readonly string[];
  /** The version that fixes it, when the data names one. */
  readonly fixedVersion?: string;
  readonly summary?: string;
  readonly severity: readonly OsvSeverity[];
  readonly databaseSpecific?: unknown;
}

/** Options of {@link matchInventory}. */
export interface MatchOptions {
  /**
   * The Debian release (`Debian:12`): only entries for it (or for plain
   * `Debian`) count. Without it every Debian release's entries are tried and
   * a package is reported when any of them says it is affected.
   */
  readonly release?: string;
}

function releaseFits(entry: IndexedAffected, pkgEcosystem: string, release: string | undefined): boolean {
  // A package that names its release (purl distro) is matched against that release only.
  const wanted = pkgEcosystem.includes(':') ? pkgEcosystem : ecosystemBase(pkgEcosystem) === 'Debian' ? release : undefined;
  if (wanted === undefined) return true;
  return entry.ecosystem === wanted || entry.ecosystem === ecosystemBase(wanted);
}

/** Verdict of one entry for one installed version. */
function evaluate(entry: IndexedAffected, version: unknown): { affected: boolean; fixed?: string } {
  if (entry.versions.some((v) => entry.scheme.compare(v, version) === 0)) {
    // Listed explicitly; a range may still name the fix.
    for (const r of entry.ranges) {
      const t = r.test(version);
      if (t.affected && t.fixed !== undefined) return t;
    }
    return { affected: true };
  }
  for (const r of entry.ranges) {
    const t = r.test(version);
    if (t.affected) return t;
  }
  return { affected: false };
}

/**
 * Matches installed packages against an OSV index. Debian packages are looked
 * up by source package and compared by source version (OSV's Debian data is
 * per source package). One finding per (package, architecture, record); a
 * package whose version its ecosystem cannot parse is skipped.
 */
export function matchInventory(packages: readonly InventoryPackage[], index: OsvIndex, options: MatchOptions = {}): Finding[] {
  const findings: Finding[] = [];
  // Binary packages of one source share a verdict: evaluate each (source, version) once.
  const verdicts = new Map<string, { entry: IndexedAffected; fixed?: string }[]>();
  for (const pkg of packages) {
    const isDebian = ecosystemBase(pkg.ecosystem) === 'Debian';
    const lookupName = isDebian ? (pkg.source ?? pkg.name) : pkg.name;
    const version = isDebian ? (pkg.sourceVersion ?? pkg.version) : pkg.version;
    const key = `${pkg.ecosystem}\u0000${lookupName}\u0000${version}`;
    let hits = verdicts.get(key);
    if (hits === undefined) {
      hits = affectingEntries(index.lookup(pkg.ecosystem, lookupName), pkg.ecosystem, version, options.release);
      verdicts.set(key, hits);
    }
    for (const { entry, fixed } of hits) {
      const r = entry.record;
      findings.push({
        package: pkg.name,
        ...(pkg.architecture !== undefined ? { architecture: pkg.architecture } : {}),
        source: lookupName,
        installedVersion: pkg.version,
        ecosystem: entry.ecosystem,
        vulnerabilityId: r.id,
        aliases: r.aliases,
        cves: cveIds(r),
        ...(fixed !== undefined ? { fixedVersion: fixed } : {}),
        ...(r.summary !== undefined ? { summary: r.summary } : {}),
        severity: [...r.severity, ...entry.affected.severity],
        ...(r.databaseSpecific !== undefined ? { databaseSpecific: r.databaseSpecific } : {}),
      });
    }
  }
  return findings;
}

const CVE_IDS = new WeakMap<object, readonly string[]>();

/** The CVE ids of a record (its id when it is one, and its aliases), computed once per record. */
function cveIds(r: IndexedAffected['record']): readonly string[] {
  let ids = CVE_IDS.get(r);
  if (ids === undefined) {
    ids = [...new Set([r.id, ...r.aliases].filter((a) => /^CVE-\d{4}-\d{4,}$/.test(a)))];
    CVE_IDS.set(r, ids);
  }
  return ids;
}

/** The entries (one per record) that say `version` is affected. */
function affectingEntries(entries: readonly IndexedAffected[], ecosystem: string, version: string, release: string | undefined): { entry: IndexedAffected; fixed?: string }[] {
  const hits: { entry: IndexedAffected; fixed?: string }[] = [];
  if (entries.length === 0) return hits;
  const seen = new Set<string>();
  const parsed = new Map<object, unknown>();
  for (const entry of entries) {
    if (seen.has(entry.record.id) || !releaseFits(entry, ecosystem, release)) continue;
    let v = parsed.get(entry.scheme);
    if (v === undefined) {
      try {
        v = entry.scheme.parse(version);
      } catch {
        // A version this ecosystem cannot have matches nothing.
        return hits;
      }
      parsed.set(entry.scheme, v);
    }
    const verdict = evaluate(entry, v);
    if (!verdict.affected) continue;
    seen.add(entry.record.id);
    hits.push(verdict.fixed !== undefined ? { entry, fixed: verdict.fixed } : { entry });
  }
  return hits;
}
