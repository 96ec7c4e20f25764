import { InputError } from '@waggle/errors';
import { parseCpe23, type Cpe23 } from './cpe.js';
import type { InventoryPackage } from './inventory-package.js';
import { parsePurl, type PackageUrl } from './purl.js';

/** One entry of a software list: a CPE or a purl, with its OSV-style ecosystem/name/version. */
export type SoftwareItem = InventoryPackage & ({ readonly kind: 'cpe'; readonly cpe: Cpe23 } | { readonly kind: 'purl'; readonly purl: PackageUrl });

// purl type → OSV ecosystem (https://ossf.github.io/osv-schema/#affectedpackage-field).
const ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  deb: 'Debian',
  apk: 'Alpine',
  hackage: 'Hackage',
  cran: 'CRAN',
  swift: 'SwiftURL',
};

/** The OSV package name of a purl: how each ecosystem joins namespace and name. */
function osvName(p: PackageUrl): string {
  if (p.namespace === undefined) return p.name;
  switch (p.type) {
    case 'maven':
      return `${p.namespace}:${p.name}`;
    case 'npm':
    case 'golang':
    case 'composer':
    case 'swift':
      return `${p.namespace}/${p.name}`;
    default:
      // deb/debian, apk/alpine, pypi: the namespace is the vendor or distribution, not part of the name.
      return p.name;
  }
}

/** The OSV ecosystem of a purl; `deb` with `distro=debian-12` (or `bookworm`-less numeric forms) gives `Debian:12`. */
function osvEcosystem(p: PackageUrl): string {
  const eco = ECOSYSTEMS[p.type] ?? p.type;
  const distro = /^debian-(\d+)/.exec(p.qualifiers.distro ?? '');
  return eco === 'Debian' && distro?.[1] !== undefined ? `Debian:${distro[1]}` : eco;
}

/**
 * Turns one CPE 2.3 string or purl into a {@link SoftwareItem}. CPE entries get
 * the ecosystem `CPE` and the name `vendor:product`.
 * @throws InputError when the string is neither, or has no version.
 */
export function parseSoftwareItem(text: string): SoftwareItem {
  const s = text.trim();
  if (s.toLowerCase().startsWith('cpe:')) {
    const cpe = parseCpe23(s);
    if (cpe.version === '*' || cpe.version === '-') throw new InputError(`CPE "${s}" names no version`, { field: 'version' });
    return { kind: 'cpe', cpe, ecosystem: 'CPE', name: `${cpe.vendor}:${cpe.product}`, version: cpe.version };
  }
  if (s.toLowerCase().startsWith('pkg:')) {
    const purl = parsePurl(s);
    if (purl.version === undefined) throw new InputError(`purl "${s}" names no version`, { field: 'version' });
    return { kind: 'purl', purl, ecosystem: osvEcosystem(purl), name: osvName(purl), version: purl.version, ...(purl.qualifiers.arch !== undefined ? { architecture: purl.qualifiers.arch } : {}) };
  }
  throw new InputError(`"${s.slice(0, 80)}" is neither a CPE 2.3 string (cpe:2.3:…) nor a package URL (pkg:…)`, { field: 'item' });
}

/**
 * Parses a software list: one CPE 2.3 string or purl per line; blank lines and
 * `#` comments (whole-line, or after whitespace) are ignored.
 * @throws InputError listing every bad line at once.
 */
export function parseSoftwareList(text: string): SoftwareItem[] {
  const items: SoftwareItem[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    // A purl may contain '#' (its subpath), so only '#' at the start or after whitespace opens a comment.
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    try {
      items.push(parseSoftwareItem(line));
    } catch (error) {
      problems.push(`line ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  if (problems.length > 0) throw new InputError(`bad software list:\n${problems.join('\n')}`, { problems });
  return items;
}
