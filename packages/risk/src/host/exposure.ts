import type { InstalledPackage } from '@waggle/inventory';
import { isLoopbackAddress, type ListeningService } from './listening-service.js';
import type { ExposureLevel } from './risk-parameters.js';

/** The exposure of one package and the listener that causes it. */
export interface PackageExposure {
  readonly level: ExposureLevel;
  /** e.g. `openssh-server listens on 0.0.0.0:22`, or `libssl3 ← openssh-server (0.0.0.0:22)`. */
  readonly reason: string;
}

/**
 * Daemons whose process name differs from their package's name. Used only
 * when a listener names a process but no package.
 */
const PROCESS_PACKAGES: Readonly<Record<string, string>> = {
  sshd: 'openssh-server',
  'sshd-session': 'openssh-server',
  httpd: 'apache2',
  mysqld: 'mariadb-server',
  mariadbd: 'mariadb-server',
  named: 'bind9',
  master: 'postfix',
  smbd: 'samba',
  nmbd: 'samba',
  cupsd: 'cups-daemon',
  'systemd-resolve': 'systemd-resolved',
  'systemd-resolved': 'systemd-resolved',
  chronyd: 'chrony',
  'exim4': 'exim4-daemon-light',
  'redis-server': 'redis-server',
  'rpcbind': 'rpcbind',
};

/** Finds the package of a listener: its `package`, else its process name as a package or through the table above. */
function servicePackage(s: ListeningService, installed: ReadonlySet<string>): string | undefined {
  if (s.package !== undefined) return s.package;
  if (s.process === undefined) return undefined;
  if (installed.has(s.process)) return s.process;
  const mapped = PROCESS_PACKAGES[s.process];
  if (mapped !== undefined && (installed.size === 0 || installed.has(mapped))) return mapped;
  // postgres → postgresql-15, and similar versioned daemons.
  const prefixed = [...installed].find((p) => p.startsWith(`${s.process}ql-`) || p.startsWith(`${s.process}-`));
  return prefixed;
}

/** Computes exposures of packages from listeners and the dependency graph. */
export interface ExposureMap {
  /** Exposure of a binary package (or of a source package, matched by its binaries). */
  of(pkg: string): PackageExposure;
  readonly known: boolean;
  /** Listeners that could not be tied to a package. */
  readonly unattributed: readonly ListeningService[];
}

const endpoint = (s: ListeningService): string => `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`;

/**
 * Builds the exposure map. A listener on a routable address makes its package
 * `network` and, following `Depends` (transitively), the libraries it loads
 * `network-dependency`; a loopback-only listener makes them `loopback`.
 * Everything else is `local`. Without a listener list everything is `unknown`.
 */
export function createExposureMap(services: readonly ListeningService[] | undefined, packages: readonly InstalledPackage[] = []): ExposureMap {
  if (services === undefined) return { of: () => ({ level: 'unknown', reason: 'listening services unknown: not scaled' }), known: false, unattributed: [] };
  const installed = new Set(packages.map((p) => p.name));
  const deps = new Map<string, readonly string[]>();
  for (const p of packages) deps.set(p.name, [...(deps.get(p.name) ?? []), ...p.depends]);
  const result = new Map<string, PackageExposure>();
  const rank: Readonly<Record<ExposureLevel, number>> = { network: 4, 'network-dependency': 3, loopback: 2, local: 1, unknown: 0 };
  const offer = (pkg: string, e: PackageExposure): void => {
    const cur = result.get(pkg);
    if (cur === undefined || rank[e.level] > rank[cur.level]) result.set(pkg, e);
  };
  const unattributed: ListeningService[] = [];
  for (const s of services) {
    const pkg = servicePackage(s, installed);
    if (pkg === undefined) {
      unattributed.push(s);
      continue;
    }
    const loop = isLoopbackAddress(s.address);
    offer(pkg, { level: loop ? 'loopback' : 'network', reason: `${pkg} listens on ${endpoint(s)}${loop ? ' (loopback only)' : ''}` });
    // Breadth-first through Depends: every library the daemon may load.
    const seen = new Set([pkg]);
    const queue = [...(deps.get(pkg) ?? [])];
    while (queue.length > 0) {
      const d = queue.shift() as string;
      if (seen.has(d)) continue;
      seen.add(d);
      offer(d, { level: loop ? 'loopback' : 'network-dependency', reason: `${d} is a dependency of ${pkg} (${endpoint(s)})` });
      queue.push(...(deps.get(d) ?? []));
    }
  }
  return {
    of: (pkg) => result.get(pkg) ?? { level: 'local', reason: `${pkg}: no listener uses it` },
    known: true,
    unattributed,
  };
}
