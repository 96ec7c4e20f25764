import { InputError } from '@waggle/errors';
import { parseControlStanzas } from './control-stanzas.js';
import { parseDebianVersion } from './debian-version.js';

/** A package dpkg reports as installed (`Status: install ok installed`). */
export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** The source package; Debian's vulnerability data is keyed by it. */
  readonly source: string;
  readonly sourceVersion: string;
  readonly ecosystem: 'Debian';
  /** Names from `Depends` and `Pre-Depends` (alternatives included, versions dropped). */
  readonly depends: readonly string[];
}

/** A stanza that was skipped and why (not installed, missing field, bad version). */
export interface DpkgSkip {
  readonly line: number;
  readonly package?: string;
  readonly reason: string;
}

/** Parsed `/var/lib/dpkg/status`: installed packages, and what was left out. */
export interface DpkgStatus {
  readonly packages: InstalledPackage[];
  readonly skipped: DpkgSkip[];
}

function dependencyNames(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const names = new Set<string>();
  for (const alt of value.split(/[,|]/)) {
    // "libc6 (>= 2.34)", "python3:any", "foo [amd64]" → the bare name.
    const m = /^\s*([a-z0-9][a-z0-9+.-]*)/.exec(alt);
    if (m?.[1] !== undefined) names.add(m[1]);
  }
  return [...names];
}

/**
 * Parses a dpkg status file. Only packages whose `Status` is
 * `install ok installed` are kept (removed-but-configured, half-installed
 * and held-for-removal ones are reported in `skipped`). `Source: src (1.2-3)`
 * gives the source name and version; without it the source is the binary
 * package itself. Multi-arch duplicates (libc6:amd64 and libc6:i386) stay two
 * entries, and are told apart by `architecture`.
 * @throws InputError when the file is not a control file at all.
 */
export function parseDpkgStatus(text: string): DpkgStatus {
  const packages: InstalledPackage[] = [];
  const skipped: DpkgSkip[] = [];
  for (const { line, fields } of parseControlStanzas(text)) {
    const name = fields.get('package');
    if (name === undefined || name === '') {
      skipped.push({ line, reason: 'no Package field' });
      continue;
    }
    const status = (fields.get('status') ?? '').split(/\s+/);
    if (status.length !== 3 || status[0] !== 'install' || status[2] !== 'installed') {
      skipped.push({ line, package: name, reason: `not installed (Status: ${fields.get('status') ?? 'missing'})` });
      continue;
    }
    const version = fields.get('version');
    if (version === undefined) {
      skipped.push({ line, package: name, reason: 'no Version field' });
      continue;
    }
    try {
      parseDebianVersion(version);
    } catch (error) {
      skipped.push({ line, package: name, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const src = /^([^\s(]+)\s*(?:\(\s*([^)\s]+)\s*\))?\s*$/.exec(fields.get('source') ?? '');
    packages.push({
      name,
      version,
      architecture: fields.get('architecture') ?? 'all',
      source: src?.[1] ?? name,
      sourceVersion: src?.[2] ?? version,
      ecosystem: 'Debian',
      depends: [...dependencyNames(fields.get('depends')), ...dependencyNames(fields.get('pre-depends'))],
    });
  }
  if (packages.length === 0 && skipped.length === 0 && text.trim() !== '') throw new InputError('not a dpkg status file: no stanzas found');
  return { packages, skipped };
}

/**
 * The Debian release a host runs, as an OSV ecosystem (`Debian:12`), read from
 * the version of `base-files` (12.4+deb12u5 → 12); undefined when unknown.
 */
export function inferDebianRelease(packages: readonly InstalledPackage[]): string | undefined {
  const base = packages.find((p) => p.name === 'base-files');
  const m = base === undefined ? null : /^(\d+)/.exec(base.version);
  return m?.[1] === undefined ? undefined : `Debian:${m[1]}`;
}
