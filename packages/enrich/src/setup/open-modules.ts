import { existsSync, readFileSync } from 'node:fs';
import { createWarninglistMatcher, loadGalaxiesFromDir, loadWarninglistsFromDir } from '@waggle/intel';
import { loadOsv, parseEpssCsv, parseKev, type EpssScores, type KevCatalog, type OsvRecord } from '@waggle/inventory';
import { InputError } from '@waggle/errors';
import { createCorrelationModule } from '../correlation/correlation-module.js';
import type { EventApi } from '../correlation/event-api.js';
import { createCveModule } from '../cve/cve-module.js';
import { createVulnerabilitySource } from '../cve/vulnerability-source.js';
import { createNodeReverseResolver } from '../dns/reverse-resolver.js';
import { createReverseDnsModule } from '../dns/reverse-dns-module.js';
import { createAsnModule, createGeolocationModule } from '../geo/geo-modules.js';
import { createIpLocationDb, type IpLocationDb, type IpLocationFiles } from '../geo/ip-location-db.js';
import { createGalaxyContextModule } from '../galaxy/galaxy-context-module.js';
import type { EnrichmentModule } from '../module.js';
import { createModuleRegistry, type ModuleRegistry } from '../registry.js';
import { createWarninglistModule } from '../warninglist/warninglist-module.js';

/** Which data sources to use, as the composition root parsed them; a module whose source is absent is left out. */
export interface EnrichmentSetup {
  /** ip-location-db CSV files (the `asn` and `geolocation` modules). */
  readonly ipFiles?: IpLocationFiles;
  /** A misp-warninglists folder (`warninglists`). */
  readonly warninglistsDir?: string;
  /** A misp-galaxy folder (`galaxy-context`). */
  readonly galaxiesDir?: string;
  /** OSV JSON file or folder, KEV JSON, EPSS CSV (`cve`; any one is enough). */
  readonly osvPath?: string;
  readonly kevFile?: string;
  readonly epssFile?: string;
  /** Resolver addresses (`reverse-dns`; off when empty). */
  readonly resolvers?: readonly string[];
  readonly dnsTimeoutMs?: number;
  readonly dnsAllowNonPublic?: boolean;
  /** A server to search (`correlation`). */
  readonly api?: Pick<EventApi, 'searchValue'>;
}

/** The registry and what was noticed while opening the sources. */
export interface OpenedEnrichment {
  readonly registry: ModuleRegistry;
  readonly ipDb?: IpLocationDb;
  /** Non-fatal remarks (files skipped inside a folder). */
  readonly warnings: readonly string[];
}

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the ${what} ${path}: ${(e as Error).message}`, { field: what });
  }
}

/**
 * Opens the data sources and builds the modules. Every missing path is
 * reported at once, before anything is loaded; the IP databases are opened
 * lazily (first lookup).
 * @throws InputError listing the paths that do not exist, or naming a file that cannot be parsed.
 */
export function openEnrichment(setup: EnrichmentSetup): OpenedEnrichment {
  const paths: [string, string | undefined][] = [
    ['warninglists folder', setup.warninglistsDir],
    ['galaxies folder', setup.galaxiesDir],
    ['OSV path', setup.osvPath],
    ['KEV file', setup.kevFile],
    ['EPSS file', setup.epssFile],
    ...Object.entries(setup.ipFiles ?? {}).map(([k, v]): [string, string | undefined] => [`IP database (${k})`, v as string | undefined]),
  ];
  const missing = paths.filter(([, p]) => p !== undefined && !existsSync(p)).map(([what, p]) => `${what} ${String(p)} does not exist`);
  if (missing.length > 0) throw new InputError(missing.join('; '), { field: 'path' });
  const warnings: string[] = [];
  const modules: EnrichmentModule[] = [];
  let ipDb: IpLocationDb | undefined;
  if (setup.ipFiles !== undefined && Object.keys(setup.ipFiles).length > 0) {
    ipDb = createIpLocationDb(setup.ipFiles);
    modules.push(createAsnModule({ db: ipDb }), createGeolocationModule({ db: ipDb }));
  }
  if (setup.resolvers !== undefined && setup.resolvers.length > 0) {
    const resolver = createNodeReverseResolver({ servers: setup.resolvers, timeoutMs: setup.dnsTimeoutMs ?? 2000 });
    modules.push(createReverseDnsModule({ resolver, ...(setup.dnsAllowNonPublic === undefined ? {} : { allowNonPublic: setup.dnsAllowNonPublic }) }));
  }
  if (setup.warninglistsDir !== undefined) {
    const loaded = loadWarninglistsFromDir(setup.warninglistsDir);
    for (const e of loaded.errors) warnings.push(`warninglist ${e.file}: ${e.message}`);
    if (loaded.lists.length === 0) throw new InputError(`no warninglist could be read from ${setup.warninglistsDir}`, { field: 'warninglists' });
    modules.push(createWarninglistModule({ matcher: createWarninglistMatcher(loaded.lists, { warningForAll: true }) }));
  }
  if (setup.galaxiesDir !== undefined) {
    const loaded = loadGalaxiesFromDir(setup.galaxiesDir);
    for (const e of loaded.errors) warnings.push(`galaxy ${e.file}: ${e.message}`);
    if (loaded.clusters.length === 0) throw new InputError(`no galaxy cluster could be read from ${setup.galaxiesDir}`, { field: 'galaxies' });
    modules.push(createGalaxyContextModule({ galaxies: loaded }));
  }
  if (setup.osvPath !== undefined || setup.kevFile !== undefined || setup.epssFile !== undefined) {
    let osv: OsvRecord[] | undefined;
    if (setup.osvPath !== undefined) {
      const loaded = loadOsv(setup.osvPath);
      for (const p of loaded.problems) warnings.push(`OSV ${p.file}${p.index === undefined ? '' : `[${String(p.index)}]`}: ${p.reason}`);
      osv = loaded.records;
    }
    const kev: KevCatalog | undefined = setup.kevFile === undefined ? undefined : parseKev(readFile(setup.kevFile, 'KEV file'));
    const epss: EpssScores | undefined = setup.epssFile === undefined ? undefined : parseEpssCsv(readFile(setup.epssFile, 'EPSS file'));
    modules.push(createCveModule({ source: createVulnerabilitySource({ ...(osv === undefined ? {} : { osv }), ...(kev === undefined ? {} : { kev }), ...(epss === undefined ? {} : { epss }) }) }));
  }
  if (setup.api !== undefined) modules.push(createCorrelationModule({ searchValue: (v) => (setup.api as Pick<EventApi, 'searchValue'>).searchValue(v) }));
  return { registry: createModuleRegistry(modules), ...(ipDb === undefined ? {} : { ipDb }), warnings };
}
