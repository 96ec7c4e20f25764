import { ConflictError, ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requirePermission } from '../access/permissions.js';
import type { Viewer } from '../ports/queries.js';
import type { GalaxyClusterRecord, OrganisationRecord } from '../model/records.js';
import type { GalaxyClusterFilter, Ref, Repositories } from '../ports/store.js';
import type { GalaxyClusterInput } from '../input/parse-galaxy-cluster.js';
import { orgSummaryJson, type MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import type { CoreDeps } from './deps.js';
import { addExternalOrganisation, findOrganisation } from './remote-organisation.js';

/** The galaxy a new cluster belongs to (resolved by the caller from the galaxy catalogue). */
export interface GalaxyRef {
  readonly type: string;
  readonly uuid: string;
}

/**
 * Who sees a custom cluster, as MISP's `GalaxyCluster::buildConditions`: the
 * owner organisation always; others once it is published, by distribution
 * (1–3) or sharing group (4), exactly like events. Deleted clusters stay with
 * their owner.
 */
export function canSeeGalaxyCluster(viewer: Viewer, c: Pick<GalaxyClusterRecord, 'org_id' | 'distribution' | 'sharing_group_id' | 'published' | 'deleted'>): boolean {
  if (viewer.siteAdmin || c.org_id === viewer.orgId) return true;
  if (!c.published || c.deleted) return false;
  if (c.distribution >= 1 && c.distribution <= 3) return true;
  return c.distribution === 4 && viewer.sharingGroupIds.includes(c.sharing_group_id);
}

/** MISP's tag for a cluster. */
export const clusterTagName = (type: string, value: string): string => `misp-galaxy:${type}="${value}"`;

const MAX_LIST = 10_000;

/**
 * Custom galaxy clusters (MISP's GalaxyClustersController): add, fork, edit,
 * publish, delete, view, search, and saving a cluster that comes from another
 * instance. Writes need `perm_galaxy_editor` (publishing `perm_publish`) and
 * the owning organisation; reads follow {@link canSeeGalaxyCluster}.
 */
export function createGalaxyClusterService(deps: CoreDeps) {
  const { store, clock } = deps;

  async function visible(repos: Repositories, p: Principal, ref: Ref): Promise<GalaxyClusterRecord> {
    const c = await repos.getGalaxyCluster(ref);
    if (c === undefined || !canSeeGalaxyCluster(p.viewer, c)) throw new NotFoundError('Invalid galaxy cluster.');
    return c;
  }
  function mustOwn(p: Principal, c: GalaxyClusterRecord, action: string): void {
    if (!p.viewer.siteAdmin && c.orgc_id !== p.org.id) throw new ForbiddenError(`Only the organisation that created a galaxy cluster may ${action} it.`);
  }
  async function checkSharingGroup(p: Principal, distribution: number, sg: number | undefined): Promise<void> {
    if (distribution !== 4) return;
    if ((sg ?? 0) === 0) throw new InputError('GalaxyCluster.sharing_group_id is required when distribution is 4', { field: 'GalaxyCluster.sharing_group_id' });
    if (!p.viewer.siteAdmin && !p.viewer.sharingGroupIds.includes(sg ?? 0)) throw new InputError(`GalaxyCluster.sharing_group_id: sharing group ${String(sg)} is not available to you`, { field: 'GalaxyCluster.sharing_group_id' });
  }

  async function json(repos: Repositories, c: GalaxyClusterRecord): Promise<MispJson> {
    const [elements, relations] = [await repos.listGalaxyElements([c.id]), await repos.listGalaxyClusterRelations([c.id])];
    const orgs = new Map<number, OrganisationRecord | undefined>();
    for (const id of [c.org_id, c.orgc_id]) if (!orgs.has(id)) orgs.set(id, await repos.getOrganisation(id));
    let authors: unknown = [];
    try {
      authors = JSON.parse(c.authors);
    } catch {
      authors = [];
    }
    return {
      id: String(c.id), uuid: c.uuid, collection_uuid: c.collection_uuid, type: c.type, value: c.value, tag_name: c.tag_name, description: c.description,
      galaxy_id: null, source: c.source, authors, version: String(c.version), distribution: String(c.distribution), sharing_group_id: c.distribution === 4 ? String(c.sharing_group_id) : null,
      org_id: String(c.org_id), orgc_id: String(c.orgc_id), default: false, locked: c.locked, extends_uuid: c.extends_uuid, extends_version: String(c.extends_version),
      published: c.published, deleted: c.deleted, timestamp: String(c.timestamp),
      Galaxy: { uuid: c.galaxy_uuid, type: c.type },
      GalaxyElement: elements.map((e) => ({ id: String(e.id), galaxy_cluster_id: String(c.id), key: e.key, value: e.value })),
      GalaxyClusterRelation: relations.map((r) => ({
        id: String(r.id), galaxy_cluster_id: String(c.id), galaxy_cluster_uuid: c.uuid, referenced_galaxy_cluster_uuid: r.referenced_galaxy_cluster_uuid,
        referenced_galaxy_cluster_type: r.referenced_galaxy_cluster_type, distribution: String(r.distribution), sharing_group_id: r.distribution === 4 ? String(r.sharing_group_id) : null, default: false,
      })),
      Org: orgSummaryJson(orgs.get(c.org_id), c.org_id),
      Orgc: orgSummaryJson(orgs.get(c.orgc_id), c.orgc_id),
    };
  }

  async function writeParts(repos: Repositories, id: number, uuid: string, input: GalaxyClusterInput): Promise<void> {
    if (input.elements !== undefined) await repos.replaceGalaxyElements(id, input.elements);
    if (input.relations !== undefined) await repos.replaceGalaxyClusterRelations(id, input.relations.map((r) => ({ ...r, galaxy_cluster_uuid: uuid, default: false })));
  }

  const service = {
    /** `galaxy_clusters/add/<galaxy>` (and `forkUUID:<cluster>`): a new custom cluster, unpublished. */
    async add(p: Principal, galaxy: GalaxyRef, input: GalaxyClusterInput, options: { forkOf?: Ref } = {}): Promise<MispJson> {
      requirePermission(p, 'perm_galaxy_editor', 'create galaxy clusters');
      return store.write(async (repos) => {
        const parent = options.forkOf !== undefined ? await visible(repos, p, options.forkOf) : undefined;
        const value = input.value ?? parent?.value;
        if (value === undefined || value === '') throw new InputError('GalaxyCluster.value is required', { field: 'GalaxyCluster.value' });
        if (input.uuid !== undefined && (await repos.getGalaxyCluster(input.uuid)) !== undefined) throw new ConflictError('A galaxy cluster with this UUID already exists.', { uuid: input.uuid });
        const distribution = input.distribution ?? 0;
        await checkSharingGroup(p, distribution, input.sharing_group_id);
        const now = clock.now();
        const type = parent?.type ?? galaxy.type;
        const c = await repos.insertGalaxyCluster({
          uuid: input.uuid ?? deps.ids.uuid(), collection_uuid: input.collection_uuid ?? '', type, galaxy_uuid: parent?.galaxy_uuid ?? galaxy.uuid, value,
          tag_name: clusterTagName(type, value), description: input.description ?? parent?.description ?? '', source: input.source ?? '',
          authors: JSON.stringify(input.authors ?? []), version: now, distribution, sharing_group_id: distribution === 4 ? (input.sharing_group_id ?? 0) : 0,
          org_id: p.org.id, orgc_id: p.org.id, default: false, locked: false, extends_uuid: parent?.uuid ?? '', extends_version: parent?.version ?? 0,
          published: false, deleted: false, timestamp: now, created: now,
        });
        const parts = parent !== undefined && input.elements === undefined ? { ...input, elements: (await repos.listGalaxyElements([parent.id])).map((e) => ({ key: e.key, value: e.value })) } : input;
        await writeParts(repos, c.id, c.uuid, parts);
        await audit(repos, p, now, { action: 'add', model: 'GalaxyCluster', modelId: c.id, title: c.tag_name });
        return { GalaxyCluster: await json(repos, c) };
      });
    },

    /** `galaxy_clusters/edit/<id>`: owner only; bumps the version and unpublishes, as MISP. */
    async edit(p: Principal, ref: Ref, input: GalaxyClusterInput): Promise<MispJson> {
      requirePermission(p, 'perm_galaxy_editor', 'edit galaxy clusters');
      return store.write(async (repos) => {
        const c = await visible(repos, p, ref);
        mustOwn(p, c, 'edit');
        if (c.deleted) throw new InputError('A deleted galaxy cluster cannot be edited; restore it first.', { field: 'GalaxyCluster.deleted' });
        const distribution = input.distribution ?? c.distribution;
        await checkSharingGroup(p, distribution, input.sharing_group_id ?? c.sharing_group_id);
        const now = Math.max(clock.now(), c.version + 1);
        const value = input.value ?? c.value;
        if (value === '') throw new InputError('GalaxyCluster.value must not be empty', { field: 'GalaxyCluster.value' });
        const updated = await repos.updateGalaxyCluster(c.id, {
          value, tag_name: clusterTagName(c.type, value), description: input.description ?? c.description, source: input.source ?? c.source,
          ...(input.authors !== undefined ? { authors: JSON.stringify(input.authors) } : {}), distribution,
          sharing_group_id: distribution === 4 ? (input.sharing_group_id ?? c.sharing_group_id) : 0, version: now, timestamp: now, published: false,
        });
        await writeParts(repos, c.id, c.uuid, input);
        await audit(repos, p, now, { action: 'edit', model: 'GalaxyCluster', modelId: c.id, title: updated.tag_name });
        return { GalaxyCluster: await json(repos, updated) };
      });
    },

    /** `galaxy_clusters/publish/<id>` and `unpublish/<id>`. */
    async setPublished(p: Principal, ref: Ref, published: boolean): Promise<MispJson> {
      requirePermission(p, 'perm_publish', 'publish galaxy clusters');
      return store.write(async (repos) => {
        const c = await visible(repos, p, ref);
        mustOwn(p, c, 'publish');
        if (c.deleted) throw new InputError('A deleted galaxy cluster cannot be published.', { field: 'GalaxyCluster.deleted' });
        const now = clock.now();
        // Publishing is a change a sync must see: the timestamp moves (the version, MISP's edit marker, does not).
        const updated = await repos.updateGalaxyCluster(c.id, { published, timestamp: Math.max(now, c.timestamp + 1) });
        await audit(repos, p, now, { action: published ? 'publish' : 'unpublish', model: 'GalaxyCluster', modelId: c.id, title: c.tag_name });
        return { GalaxyCluster: await json(repos, updated) };
      });
    },

    /** `galaxy_clusters/delete/<id>`: soft (kept, marked deleted, a new version to sync) or hard. */
    async delete(p: Principal, ref: Ref, hard: boolean): Promise<void> {
      requirePermission(p, 'perm_galaxy_editor', 'delete galaxy clusters');
      await store.write(async (repos) => {
        const c = await visible(repos, p, ref);
        mustOwn(p, c, 'delete');
        const now = Math.max(clock.now(), c.version + 1);
        if (hard) await repos.deleteGalaxyCluster(c.id);
        else await repos.updateGalaxyCluster(c.id, { deleted: true, version: now, timestamp: now });
        await audit(repos, p, now, { action: 'delete', model: 'GalaxyCluster', modelId: c.id, title: c.tag_name });
      });
    },

    /** `galaxy_clusters/view/<id|uuid>`. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => ({ GalaxyCluster: await json(repos, await visible(repos, p, ref)) }));
    },

    /** Visible custom clusters matching the filter, oldest change first. */
    async search(p: Principal, filter: GalaxyClusterFilter): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const rows = (await repos.listGalaxyClusters({ ...filter, limit: Math.min(filter.limit ?? MAX_LIST, MAX_LIST) })).filter((c) => canSeeGalaxyCluster(p.viewer, c));
        const out: MispJson[] = [];
        for (const c of rows) out.push({ GalaxyCluster: await json(repos, c) });
        return out;
      });
    },

    /** Visible custom clusters for these tag names (for events' `Galaxy` arrays). */
    async forTags(p: Principal, tagNames: readonly string[]): Promise<MispJson[]> {
      if (tagNames.length === 0) return [];
      return service.search(p, { tagNames });
    },

    /**
     * Saves a cluster from another instance (a pull, or `galaxies/pushCluster`)
     * as the sync principal: created, or updated when its version is newer;
     * the creator organisation kept (recorded when new); marked locked. A
     * cluster created here is never overwritten by a remote copy.
     */
    async saveSynced(p: Principal, input: GalaxyClusterInput): Promise<'created' | 'updated' | 'unchanged'> {
      if (!(p.viewer.siteAdmin || p.role.perm_sync || p.role.perm_site_admin)) throw new ForbiddenError('Only sync users may push galaxy clusters.');
      if (input.uuid === undefined || input.value === undefined || input.type === undefined || input.version === undefined) {
        throw new InputError('A synced galaxy cluster needs uuid, type, value and version', { field: 'GalaxyCluster' });
      }
      const { uuid, value, type, version } = input;
      return store.write(async (repos) => {
        const now = clock.now();
        const existing = await repos.getGalaxyCluster(uuid);
        if (existing !== undefined && !existing.locked) throw new ConflictError(`Galaxy cluster ${uuid} was created on this instance; a remote copy does not overwrite it.`, { uuid });
        if (existing !== undefined && existing.version >= version && existing.deleted === (input.deleted ?? false)) return 'unchanged';
        const orgc = input.orgc !== undefined ? ((await findOrganisation(repos, input.orgc)) ?? (input.orgc.uuid !== undefined && input.orgc.name !== undefined ? await addExternalOrganisation(repos, deps, p, input.orgc.uuid, input.orgc.name) : p.org)) : p.org;
        const distribution = input.distribution ?? 0;
        const fields = {
          value, type, tag_name: clusterTagName(type, value), description: input.description ?? '', source: input.source ?? '', authors: JSON.stringify(input.authors ?? []),
          version, distribution, sharing_group_id: distribution === 4 ? (input.sharing_group_id ?? 0) : 0, orgc_id: orgc.id, published: input.published ?? true,
          deleted: input.deleted ?? false, galaxy_uuid: input.galaxy_uuid ?? existing?.galaxy_uuid ?? '', collection_uuid: input.collection_uuid ?? '',
          extends_uuid: input.extends_uuid ?? '', extends_version: input.extends_version ?? 0, timestamp: Math.max(now, (existing?.timestamp ?? 0) + 1), locked: true,
        };
        const c = existing === undefined
          ? await repos.insertGalaxyCluster({ ...fields, uuid, org_id: p.org.id, default: false, created: now })
          : await repos.updateGalaxyCluster(existing.id, fields);
        await writeParts(repos, c.id, c.uuid, { ...input, elements: input.elements ?? [], relations: input.relations ?? [] });
        await audit(repos, p, now, { action: existing === undefined ? 'add' : 'edit', model: 'GalaxyCluster', modelId: c.id, title: `${c.tag_name} (synced)` });
        return existing === undefined ? 'created' : 'updated';
      });
    },
  };
  return service;
}

/** The custom galaxy cluster service's type. */
export type GalaxyClusterService = ReturnType<typeof createGalaxyClusterService>;
