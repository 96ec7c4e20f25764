import { ConflictError, InputError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import { requireSiteAdmin } from '../../access/permissions.js';
import type { OrganisationRecord } from '../../model/records.js';
import type { Patch, Ref, Repositories } from '../../ports/store.js';
import { organisationJson, type MispJson } from '../../views/misp-json.js';
import { audit } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyChange, type AdminServiceOptions } from './admin-options.js';
import { organisationByRef } from './admin-lookups.js';
import type { OrganisationInput } from './organisation-input.js';

/** Which organisations `organisations/index` lists. */
export type OrganisationScope = 'local' | 'external' | 'all';

/** Filters of the organisation list. */
export interface OrganisationListOptions {
  readonly scope?: OrganisationScope;
  /** Case-insensitive substring of the name, UUID, description, sector or nationality. */
  readonly search?: string;
}

async function checkUnique(repos: Repositories, input: OrganisationInput, selfId?: number): Promise<void> {
  if (input.name !== undefined) {
    const folded = input.name.toLowerCase();
    // A numeric name would be taken for an id by getOrganisation.
    const same = /^[0-9]+$/.test(input.name)
      ? (await repos.listOrganisations()).find((o) => o.name.toLowerCase() === folded)
      : await repos.getOrganisation(input.name);
    if (same !== undefined && same.id !== selfId && same.name.toLowerCase() === folded) {
      throw new InputError(`An organisation named "${input.name}" already exists`, { field: 'Organisation.name' });
    }
  }
  if (input.uuid !== undefined) {
    const same = await repos.getOrganisation(input.uuid);
    if (same !== undefined && same.id !== selfId) throw new InputError(`An organisation with UUID ${input.uuid} already exists`, { field: 'Organisation.uuid' });
  }
}

/** Organisation use cases: list, view, add, edit, delete (MISP's OrganisationsController). */
export function createOrganisationService(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, options: AdminServiceOptions = {}) {
  const { store, clock } = deps;

  return {
    /** Organisations of the scope (default local), each with `user_count`. */
    async list(_p: Principal, opts: OrganisationListOptions = {}): Promise<MispJson[]> {
      const scope = opts.scope ?? 'local';
      return store.read(async (repos) => {
        const orgs = await repos.listOrganisations(scope === 'all' ? {} : { local: scope === 'local' });
        const counts = new Map<number, number>();
        for (const u of await repos.listUsers()) counts.set(u.org_id, (counts.get(u.org_id) ?? 0) + 1);
        const needle = opts.search?.toLowerCase();
        const hit = (o: OrganisationRecord): boolean =>
          needle === undefined || [o.name, o.uuid, o.description, o.sector, o.nationality].some((v) => v.toLowerCase().includes(needle));
        return orgs.filter(hit).map((o) => ({ Organisation: { ...organisationJson(o), user_count: String(counts.get(o.id) ?? 0) } }));
      });
    },

    /** One organisation by id, UUID or name. */
    async view(_p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => organisationJson(await organisationByRef(repos, ref)));
    },

    /** Whether the organisation exists (HEAD). */
    async exists(_p: Principal, ref: Ref): Promise<boolean> {
      return store.read(async (repos) => (await repos.getOrganisation(ref)) !== undefined);
    },

    /** Creates an organisation (site admins only). Names and UUIDs are unique. */
    async add(p: Principal, input: OrganisationInput): Promise<MispJson> {
      requireSiteAdmin(p, 'add organisations');
      if (input.name === undefined) throw new InputError('Organisation.name is required', { field: 'Organisation.name' });
      const name = input.name;
      const org = await store.write(async (repos) => {
        await checkUnique(repos, input);
        const now = clock.now();
        const created = await repos.insertOrganisation({
          uuid: input.uuid ?? deps.ids.uuid(), name, description: input.description ?? '', type: input.type ?? '',
          nationality: input.nationality ?? '', sector: input.sector ?? '', contacts: input.contacts ?? '', local: input.local ?? true,
          restricted_to_domain: input.restricted_to_domain ?? '', landingpage: input.landingpage ?? '', created_by: p.user.id,
          date_created: now, date_modified: now,
        });
        await audit(repos, p, now, { action: 'add', model: 'Organisation', modelId: created.id, title: created.name });
        return created;
      });
      notifyChange(options);
      return organisationJson(org);
    },

    /** Changes an organisation (site admins only). */
    async edit(p: Principal, ref: Ref, input: OrganisationInput): Promise<MispJson> {
      requireSiteAdmin(p, 'edit organisations');
      const org = await store.write(async (repos) => {
        const current = await organisationByRef(repos, ref);
        await checkUnique(repos, input, current.id);
        const now = clock.now();
        const patch: Patch<OrganisationRecord> = { ...input, date_modified: now };
        const updated = await repos.updateOrganisation(current.id, patch);
        await audit(repos, p, now, { action: 'edit', model: 'Organisation', modelId: current.id, title: updated.name, change: input });
        return updated;
      });
      notifyChange(options);
      return organisationJson(org);
    },

    /** Deletes an organisation that has no users, events or sharing groups (site admins only). */
    async delete(p: Principal, ref: Ref): Promise<OrganisationRecord> {
      requireSiteAdmin(p, 'delete organisations');
      const org = await store.write(async (repos) => {
        const current = await organisationByRef(repos, ref);
        if (current.id === p.org.id) throw new ConflictError('You cannot delete your own organisation.');
        if ((await repos.countOrganisationUsage(current.id)) > 0) {
          throw new ConflictError('The organisation still has users or events; move or delete them first.');
        }
        const sgs = await repos.listSharingGroups();
        if (sgs.some((sg) => sg.org_id === current.id)) throw new ConflictError('The organisation still owns sharing groups; delete them first.');
        // Memberships would otherwise point at a missing organisation.
        for (const m of await repos.listSharingGroupOrgs(sgs.map((sg) => sg.id))) {
          if (m.org_id === current.id) await repos.removeSharingGroupOrg(m.sharing_group_id, current.id);
        }
        await repos.deleteOrganisation(current.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'Organisation', modelId: current.id, title: current.name });
        return current;
      });
      notifyChange(options);
      return org;
    },
  };
}

/** The organisation service's type. */
export type OrganisationService = ReturnType<typeof createOrganisationService>;
