import { NotFoundError } from '@waggle/errors';
import type { Profile } from './profile-types.js';

/** Looks profiles up by name, CVE, service name or port. */
export interface Catalogue {
  all(): readonly Profile[];
  /** The profile called `name`; throws `NotFoundError` listing the known names. */
  get(name: string): Profile;
  find(name: string): Profile | undefined;
  byCve(cve: string): Profile[];
  byService(service: string): Profile[];
  byPort(port: number): Profile[];
}

function push<K>(map: Map<K, Profile[]>, key: K, p: Profile): void {
  const list = map.get(key) ?? [];
  if (!list.includes(p)) list.push(p);
  map.set(key, list);
}

/** Indexes profiles; CVE ids are matched case-insensitively. */
export function createCatalogue(profiles: readonly Profile[]): Catalogue {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const cves = new Map<string, Profile[]>();
  const services = new Map<string, Profile[]>();
  const ports = new Map<number, Profile[]>();
  for (const p of profiles) {
    for (const c of p.cves) push(cves, c.toUpperCase(), p);
    for (const s of [p.service, ...p.services]) push(services, s.toLowerCase(), p);
    for (const port of [p.default_port, ...p.ports]) push(ports, port, p);
  }
  return {
    all: () => profiles,
    find: (name) => byName.get(name),
    get(name) {
      const p = byName.get(name);
      if (p === undefined) throw new NotFoundError(`Unknown honeypot profile "${name}"; known: ${[...byName.keys()].join(', ')}`, { field: 'profile' });
      return p;
    },
    byCve: (cve) => [...(cves.get(cve.trim().toUpperCase()) ?? [])],
    byService: (s) => [...(services.get(s.toLowerCase()) ?? [])],
    byPort: (port) => [...(ports.get(port) ?? [])],
  };
}
