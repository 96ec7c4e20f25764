import { compareParsedDebianVersions, parseDebianVersion, type DebianVersion } from '../debian/debian-version.js';
import { compareGenericVersions } from './generic-version.js';

/** How one ecosystem parses and orders its versions; parsing once lets matching compare cheaply. */
export interface VersionScheme<V> {
  /** @throws InputError for a version the ecosystem cannot have. */
  parse(version: string): V;
  compare(a: V, b: V): -1 | 0 | 1;
}

const debianScheme: VersionScheme<DebianVersion> = { parse: parseDebianVersion, compare: compareParsedDebianVersions };
const genericScheme: VersionScheme<string> = { parse: (v) => v, compare: compareGenericVersions };

/** The ecosystem part of an OSV ecosystem string: `Debian:12` → `Debian`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon < 0 ? ecosystem : ecosystem.slice(0, colon);
}

/**
 * The version scheme of an OSV ecosystem: Debian's for `Debian` (and Ubuntu,
 * which uses dpkg versions too), a SemVer-like generic order for the rest.
 */
export function versionSchemeFor(ecosystem: string): VersionScheme<unknown> {
  const base = ecosystemBase(ecosystem);
  return (base === 'Debian' || base === 'Ubuntu' ? debianScheme : genericScheme) as VersionScheme<unknown>;
}
