import { NotFoundError } from '@waggle/errors';
import { loadBuiltinTaxonomies, parseWarninglist, type Taxonomy, type Warninglist } from '@waggle/intel';
import type { Store, TagRecord } from '@waggle/core';
import type { IntelDataSet, IntelDocumentRecord, IntelDocuments } from '@waggle/store';
import { changedDocuments, createDocumentCache, type DocumentStamp } from './document-cache.js';
import { builtinTaxonomyFiles, taxonomyDocument } from './data-sources.js';
import { readDataSources, storeNewer } from './library-update.js';
import { enableTaxonomyTags, hideTaxonomyTags, tagsByName } from './taxonomy-tags.js';
import { buildGalaxyCatalogue, parseClusterDocument, parseGalaxyDocument, type GalaxyCatalogue } from './galaxy-catalogue.js';
import { buildTaxonomyCatalogue, parseTaxonomyDocument, type TaxonomyCatalogue } from './taxonomy-catalogue.js';
import { buildWarninglistCatalogue, parseWarninglistDocument, type WarninglistCatalogue } from './warninglist-catalogue.js';

/** What the intel service needs. */
export interface IntelServiceDeps {
  /** Where imported taxonomies, galaxies and warninglists live (`waggle data import`). */
  readonly documents: IntelDocuments;
  /** Core's store: taxonomy tags are created, hidden and counted through its tag repositories. */
  readonly store: Store;
  /** MISP's `MISP.warning_for_all`: check non-IDS attributes too (default false, as MISP). */
  readonly warningForAll?: boolean;
  /** Taxonomies stored on first start when the store has none (default: the built-in ones). */
  readonly builtinTaxonomies?: () => readonly Taxonomy[];
}

/** The kinds a user can enable or disable. */
export type ToggleableKind = 'taxonomy' | 'galaxy' | 'warninglist';

/** What a library update (MISP's `taxonomies|galaxies|warninglists/update`) did. */
export interface LibraryUpdateResult {
  /** Documents new or changed since the previous load (written by this update or by an import in another process). */
  readonly changed: number;
  /** Files that cannot be stored and did not fail the same way at the previous update. */
  readonly failed: number;
  /** Every file that cannot be stored and every recorded folder that is gone, for the log. */
  readonly problems: readonly string[];
}

/**
 * Taxonomies, galaxies and warninglists as the HTTP layer uses them: parsed
 * once from the store and cached; rebuilt only after `reload` or a toggle.
 */
export interface IntelService {
  taxonomies(): Promise<TaxonomyCatalogue>;
  galaxies(): Promise<GalaxyCatalogue>;
  warninglists(): Promise<WarninglistCatalogue>;
  /** Enables or disables one document (by id or name) and rebuilds what depends on it. */
  setEnabled(kind: ToggleableKind, ref: string | number, enabled: boolean): Promise<IntelDocumentRecord>;
  /** Re-reads the store (after an import by another process); only changed documents are parsed again. */
  reload(): Promise<void>;
  /**
   * MISP's library update: reads the data set's sources again (the bundled taxonomies and every
   * folder `waggle data import` read), stores documents that are new or of a higher version,
   * and reloads the catalogue. Updates run one at a time.
   */
  update(set: IntelDataSet): Promise<LibraryUpdateResult>;
  /** Sets a taxonomy's `required` flag (by id or namespace) and reloads the taxonomies. */
  setRequired(ref: string | number, required: boolean): Promise<IntelDocumentRecord>;
  /** Stored documents that could not be used, and why. */
  problems(): string[];
  /** Existing tags by name, all or of one namespace. */
  existingTags(namespace?: string): Promise<Map<string, TagRecord>>;
  /** Creates or re-shows the taxonomy's tags with its colours and numerical values (one transaction). */
  createTaxonomyTags(taxonomy: Taxonomy): Promise<{ created: number; updated: number }>;
  /** Hides the taxonomy's tags; returns how many changed. */
  hideTaxonomyTags(taxonomy: Taxonomy): Promise<number>;
  /** A warninglist with its entries, read from the store (disabled lists are cached without them). */
  storedWarninglist(id: number): Promise<Warninglist>;
  /** The UUID of the event or attribute with this id or UUID, if it exists. */
  targetUuid(type: 'event' | 'attribute', ref: string): Promise<string | undefined>;
}

/** Builds the service; nothing is read until the first call. */
export function createIntelService(deps: IntelServiceDeps): IntelService {
  const { documents } = deps;
  const taxonomyCache = createDocumentCache(documents, 'taxonomy', parseTaxonomyDocument);
  const galaxyCache = createDocumentCache(documents, 'galaxy', parseGalaxyDocument);
  const clusterCache = createDocumentCache(documents, 'galaxy-clusters', parseClusterDocument);
  const warninglistCache = createDocumentCache(documents, 'warninglist', parseWarninglistDocument);

  let taxonomies: Promise<TaxonomyCatalogue> | undefined;
  let galaxies: Promise<GalaxyCatalogue> | undefined;
  let warninglists: Promise<WarninglistCatalogue> | undefined;
  let seeded: Promise<void> | undefined;
  // Updates run one after the other; each remembers the problems it reported, per data set.
  let updating: Promise<unknown> = Promise.resolve();
  const reported = new Map<IntelDataSet, ReadonlySet<string>>();

  // Built-in taxonomies the store lacks (first start) are stored enabled, so tlp/PAP work out of the box.
  // A namespace already there is left alone: the user may have imported a newer version or disabled it.
  const seed = (): Promise<void> =>
    (seeded ??= (async () => {
      const present = new Set((await documents.list('taxonomy')).map((r) => r.name.toLowerCase()));
      for (const t of (deps.builtinTaxonomies ?? loadBuiltinTaxonomies)()) {
        if (!present.has(t.namespace.toLowerCase())) await documents.upsert('taxonomy', t.namespace, String(t.version), taxonomyDocument(t), true);
      }
    })().catch((error: unknown) => {
      seeded = undefined;
      throw error;
    }));

  // A failed build is not cached: the next call tries again.
  const retry = <T>(p: Promise<T>, clear: () => void): Promise<T> =>
    p.catch((error: unknown) => {
      clear();
      throw error;
    });
  const loadTaxonomies = (): Promise<TaxonomyCatalogue> =>
    retry((async () => { await seed(); return buildTaxonomyCatalogue(await taxonomyCache.load()); })(), () => (taxonomies = undefined));
  const loadGalaxies = (): Promise<GalaxyCatalogue> =>
    retry((async () => buildGalaxyCatalogue(await galaxyCache.load(), await clusterCache.load()))(), () => (galaxies = undefined));
  const loadWarninglists = (): Promise<WarninglistCatalogue> =>
    retry((async () => buildWarninglistCatalogue(await warninglistCache.load(), deps.warningForAll ?? false))(), () => (warninglists = undefined));

  const service: IntelService = {
    taxonomies: () => (taxonomies ??= loadTaxonomies()),
    galaxies: () => (galaxies ??= loadGalaxies()),
    warninglists: () => (warninglists ??= loadWarninglists()),
    async setEnabled(kind, ref, enabled) {
      const id = await resolveId(kind, ref);
      const record = await documents.setEnabled(kind, id, enabled);
      if (kind === 'taxonomy') await (taxonomies = loadTaxonomies());
      else if (kind === 'galaxy') await (galaxies = loadGalaxies());
      else await (warninglists = loadWarninglists());
      return record;
    },
    async reload() {
      taxonomies = loadTaxonomies();
      galaxies = loadGalaxies();
      warninglists = loadWarninglists();
      await Promise.all([taxonomies, galaxies, warninglists]);
    },
    update(set) {
      const run = updating.then(() => updateDataSet(set));
      updating = run.catch(() => undefined);
      return run;
    },
    async setRequired(ref, required) {
      const id = await resolveId('taxonomy', ref);
      const record = await documents.setRequired('taxonomy', id, required);
      await (taxonomies = loadTaxonomies());
      return record;
    },
    existingTags: (namespace) => tagsByName(deps.store, namespace),
    createTaxonomyTags: (taxonomy) => enableTaxonomyTags(deps.store, taxonomy),
    hideTaxonomyTags: (taxonomy) => hideTaxonomyTags(deps.store, taxonomy),
    async storedWarninglist(id) {
      const row = await documents.get('warninglist', id);
      const parsed = row === undefined ? undefined : parseWarninglist(JSON.parse(row.document) as unknown, row.name);
      if (parsed?.ok !== true) throw new NotFoundError('Invalid warninglist.');
      return parsed.warninglist;
    },
    targetUuid: (type, ref) => deps.store.read(async (repos) => (type === 'event' ? await repos.getEvent(ref) : await repos.getAttribute(ref))?.uuid),
    problems: () => [...taxonomyCache.problems(), ...galaxyCache.problems(), ...clusterCache.problems(), ...warninglistCache.problems()],
  };

  const stampsOf = (set: IntelDataSet): ReadonlyMap<string, DocumentStamp> => {
    const caches = set === 'taxonomies' ? { taxonomy: taxonomyCache } : set === 'galaxies' ? { galaxy: galaxyCache, clusters: clusterCache } : { warninglist: warninglistCache };
    const out = new Map<string, DocumentStamp>();
    for (const [prefix, cache] of Object.entries(caches)) for (const [id, stamp] of cache.stamps()) out.set(`${prefix}:${id}`, stamp);
    return out;
  };
  const loadSet = (set: IntelDataSet): Promise<unknown> =>
    set === 'taxonomies' ? (taxonomies = loadTaxonomies()) : set === 'galaxies' ? (galaxies = loadGalaxies()) : (warninglists = loadWarninglists());

  async function updateDataSet(set: IntelDataSet): Promise<LibraryUpdateResult> {
    // The catalogue as last loaded is what "changed" is counted against.
    await (set === 'taxonomies' ? service.taxonomies() : set === 'galaxies' ? service.galaxies() : service.warninglists());
    const before = stampsOf(set);
    const bundled = set === 'taxonomies' ? builtinTaxonomyFiles((deps.builtinTaxonomies ?? loadBuiltinTaxonomies)()) : [];
    const read = await readDataSources(documents, set, bundled);
    await storeNewer(documents, read.files);
    await loadSet(set);
    const keys = new Set(read.problems.map((p) => `${p.file}: ${p.problem}`));
    const previous = reported.get(set) ?? new Set<string>();
    reported.set(set, keys);
    return {
      changed: changedDocuments(before, stampsOf(set)),
      failed: [...keys].filter((k) => !previous.has(k)).length,
      problems: [...keys, ...read.missing.map((dir) => `${dir}: imported from here, but it is no longer a folder on this machine`)],
    };
  }

  // Names as users type them (a namespace in any case, a list's display name) resolve through the loaded catalogue.
  async function resolveId(kind: ToggleableKind, ref: string | number): Promise<number> {
    const found = kind === 'taxonomy' ? (await service.taxonomies()).find(ref) : kind === 'galaxy' ? (await service.galaxies()).galaxy(ref) : (await service.warninglists()).find(ref);
    if (found === undefined) throw new NotFoundError(`No ${kind} "${String(ref)}"`);
    return found.id;
  }

  return service;
}
