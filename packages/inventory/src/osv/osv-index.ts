import { compileRange, type CompiledRange } from './compiled-range.js';
import type { OsvAffected, OsvRecord } from './osv-record.js';
import { ecosystemBase, versionSchemeFor, type VersionScheme } from './version-scheme.js';

/** One `affected[]` entry of one record, compiled for matching. */
export interface IndexedAffected {
  readonly record: OsvRecord;
  readonly affected: OsvAffected;
  /** Full ecosystem, e.g. `Debian:12`. */
  readonly ecosystem: string;
  readonly scheme: VersionScheme<unknown>;
  readonly ranges: readonly CompiledRange[];
  /** `affected[].versions`, parsed. */
  readonly versions: readonly unknown[];
}

/** An affected entry the index could not use (bad version for its ecosystem). */
export interface OsvIndexProblem {
  readonly id: string;
  readonly reason: string;
}

/** OSV records indexed by (ecosystem, package name). */
export interface OsvIndex {
  /** Entries for a package in an ecosystem family (`Debian` finds `Debian:11` and `Debian:12` entries). */
  lookup(ecosystem: string, name: string): readonly IndexedAffected[];
  readonly size: number;
  readonly problems: readonly OsvIndexProblem[];
}

/**
 * How names compare in an ecosystem: PyPI folds case and `-_.` runs
 * (PEP 503), Debian and npm names are lower-case already, the rest exact.
 */
export function normalisePackageName(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (base === 'Debian' || base === 'Ubuntu' || base === 'Alpine') return name.toLowerCase();
  return name;
}

const key = (ecosystem: string, name: string): string => `${ecosystemBase(ecosystem)}\u0000${normalisePackageName(ecosystem, name)}`;

/**
 * Builds the index: withdrawn records and GIT ranges (which need the
 * repository history) are left out; each ECOSYSTEM/SEMVER range is compiled
 * once with its versions parsed. An entry with a version its ecosystem cannot
 * have is reported in `problems` and skipped; the rest of the record stays.
 */
export function createOsvIndex(records: Iterable<OsvRecord>): OsvIndex {
  const map = new Map<string, IndexedAffected[]>();
  const problems: OsvIndexProblem[] = [];
  let size = 0;
  for (const record of records) {
    if (record.withdrawn !== undefined) continue;
    size++;
    record.affected.forEach((affected, i) => {
      if (affected.ecosystem === undefined || affected.name === undefined) return;
      const scheme = versionSchemeFor(affected.ecosystem);
      try {
        const entry: IndexedAffected = {
          record,
          affected,
          ecosystem: affected.ecosystem,
          scheme,
          ranges: affected.ranges.filter((r) => r.type !== 'GIT').map((r) => compileRange(r, scheme)),
          versions: affected.versions.map((v) => scheme.parse(v)),
        };
        const k = key(affected.ecosystem, affected.name);
        const list = map.get(k);
        if (list === undefined) map.set(k, [entry]);
        else list.push(entry);
      } catch (error) {
        problems.push({ id: record.id, reason: `affected[${i}] (${affected.ecosystem}/${affected.name}): ${error instanceof Error ? error.message : String(error)}` });
      }
    });
  }
  return {
    lookup: (ecosystem, name) => map.get(key(ecosystem, name)) ?? [],
    size,
    problems,
  };
}
