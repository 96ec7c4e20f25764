import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import { requirePermission } from '../../access/permissions.js';
import type { OrganisationRecord, SharingGroupRecord } from '../../model/records.js';
import type { Patch, Ref, Repositories } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import { audit } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyChange, type AdminServiceOptions } from './admin-options.js';
import {
  canEditSharingGroup,
  memberOrganisation,
  memberServerId,
  sharingGroupsJson,
  visibleSharingGroup,
  visibleSharingGroupIds,
} from './sharing-group-access.js';
import type { SharingGroupInput } from './sharing-group-input.js';

async function checkUnique(repos: Repositories, input: SharingGroupInput, selfId?: number): Promise<void> {
  const all = await repos.listSharingGroups();
  if (input.name !== undefined) {
    const folded = input.name.toLowerCase();
    if (all.some((sg) => sg.id !== selfId && sg.name.toLowerCase() === folded)) {
      throw new InputError(`A sharing group named "${input.name}" already exists`, { field: 'SharingGroup.name' });
    }
  }
  if (input.uuid !== undefined && all.some((sg) => sg.id !== selfId && sg.uuid.toLowerCase() === input.uuid)) {
    throw new InputError(`A sharing group with UUID ${input.uuid} already exists`, { field: 'SharingGroup.uuid' });
  }
}

function editable(p: Principal, sg: SharingGroupRecord): void {
  if (!canEditSharingGroup(p, sg)) throw new ForbiddenError('Only the organisation that created the sharing group (or a site admin) can change it.');
}

/** Who owns a new group: the caller's organisation, or (site admins) the one named by `organisation_uuid`. */
async function ownerOrg(repos: Repositories, p: Principal, input: SharingGroupInput): Promise<OrganisationRecord> {
  if (input.organisation_uuid === undefined || !p.role.perm_site_admin || input.organisation_uuid === p.org.uuid) return p.org;
  return memberOrganisation(repos, input.organisation_uuid, 'SharingGroup.organisation_uuid');
}

/**
 * Sharing group use cases (MISP's SharingGroupsController): list, view, add,
 * edit, delete, and membership of organisations and servers.
 */
export function createSharingGroupService(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, options: AdminServiceOptions = {}) {
  const { store, clock } = deps;

  async function one(repos: Repositories, p: Principal, sg: SharingGroupRecord): Promise<MispJson> {
    return (await sharingGroupsJson(repos, p, [sg]))[0] as MispJson;
  }

  /** Runs a membership change on a group the principal may edit, in one transaction with its audit entry. */
  async function membership(p: Principal, sgRef: Ref, action: string, fn: (repos: Repositories, sg: SharingGroupRecord) => Promise<string>): Promise<void> {
    await store.write(async (repos) => {
      const sg = await visibleSharingGroup(repos, p, sgRef);
      // MISP lets member organisations with `extend` add (not remove) organisations and servers.
      const extender = action.startsWith('add') && !p.readOnly && p.role.perm_sharing_group
        && (await repos.listSharingGroupOrgs([sg.id])).some((m) => m.org_id === p.org.id && m.extend);
      if (!extender) editable(p, sg);
      const title = await fn(repos, sg);
      const now = clock.now();
      await repos.updateSharingGroup(sg.id, { modified: now });
      await audit(repos, p, now, { action, model: 'SharingGroup', modelId: sg.id, title: `${sg.name}: ${title}` });
    });
    notifyChange(options);
  }

  return {
    /** Sharing groups the principal's organisation may see, each with its members. */
    async list(p: Principal): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const ids = await visibleSharingGroupIds(repos, p);
        const sgs = (await repos.listSharingGroups()).filter((sg) => ids === undefined || ids.has(sg.id) || sg.org_id === p.org.id);
        return sharingGroupsJson(repos, p, sgs);
      });
    },

    /** One sharing group (id or UUID) with its members; not_found when invisible. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => one(repos, p, await visibleSharingGroup(repos, p, ref)));
    },

    /** Whether the sharing group exists and is visible (HEAD). */
    async exists(p: Principal, ref: Ref): Promise<boolean> {
      return store.read(async (repos) => visibleSharingGroup(repos, p, ref).then(() => true, () => false));
    },

    /**
     * Creates a sharing group (perm_sharing_group). The owner organisation joins it
     * with `extend`, and this instance (server 0) is added with `all_orgs` false,
     * besides any organisations and servers listed in the input.
     */
    async add(p: Principal, input: SharingGroupInput): Promise<MispJson> {
      requirePermission(p, 'perm_sharing_group', 'create sharing groups');
      if (input.name === undefined) throw new InputError('SharingGroup.name is required', { field: 'SharingGroup.name' });
      const name = input.name;
      const json = await store.write(async (repos) => {
        await checkUnique(repos, input);
        const owner = await ownerOrg(repos, p, input);
        const now = clock.now();
        const sg = await repos.insertSharingGroup({
          uuid: input.uuid ?? deps.ids.uuid(), name, description: input.description ?? '', releasability: input.releasability ?? '',
          organisation_uuid: owner.uuid, org_id: owner.id, sync_user_id: 0, active: input.active ?? true, local: input.local ?? true,
          roaming: input.roaming ?? false, created: now, modified: now,
        });
        await repos.upsertSharingGroupOrg(sg.id, owner.id, true);
        for (const [i, m] of input.orgs.entries()) {
          const org = await memberOrganisation(repos, m.org, `SharingGroup.SharingGroupOrg[${i}]`);
          if (org.id !== owner.id) await repos.upsertSharingGroupOrg(sg.id, org.id, m.extend);
        }
        const servers = new Map<number, boolean>([[0, false]]);
        for (const [i, s] of input.servers.entries()) servers.set(await memberServerId(repos, s.server, `SharingGroup.SharingGroupServer[${i}]`), s.all_orgs);
        for (const [id, allOrgs] of servers) await repos.upsertSharingGroupServer(sg.id, id, allOrgs);
        await audit(repos, p, now, { action: 'add', model: 'SharingGroup', modelId: sg.id, title: sg.name });
        return one(repos, p, sg);
      });
      notifyChange(options);
      return json;
    },

    /** Changes the group's own fields (creator organisation or site admin); member lists are changed with addOrg/addServer. */
    async edit(p: Principal, ref: Ref, input: SharingGroupInput): Promise<MispJson> {
      const json = await store.write(async (repos) => {
        const sg = await visibleSharingGroup(repos, p, ref);
        editable(p, sg);
        await checkUnique(repos, input, sg.id);
        const now = clock.now();
        const patch: Patch<SharingGroupRecord> = { modified: now };
        for (const k of ['name', 'description', 'releasability', 'active', 'roaming', 'local'] as const) {
          if (input[k] !== undefined) Object.assign(patch, { [k]: input[k] });
        }
        const updated = await repos.updateSharingGroup(sg.id, patch);
        const { orgs: _orgs, servers: _servers, ...change } = input;
        await audit(repos, p, now, { action: 'edit', model: 'SharingGroup', modelId: sg.id, title: updated.name, change });
        return one(repos, p, updated);
      });
      notifyChange(options);
      return json;
    },

    /** Deletes a sharing group and its memberships (creator organisation or site admin). */
    async delete(p: Principal, ref: Ref): Promise<SharingGroupRecord> {
      const sg = await store.write(async (repos) => {
        const current = await visibleSharingGroup(repos, p, ref);
        editable(p, current);
        await repos.deleteSharingGroup(current.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'SharingGroup', modelId: current.id, title: current.name });
        return current;
      });
      notifyChange(options);
      return sg;
    },

    /** Adds an organisation (id, UUID or name) to the group, or updates its `extend` flag. */
    async addOrg(p: Principal, sgRef: Ref, orgRef: Ref, extend = false): Promise<void> {
      await membership(p, sgRef, 'add_org', async (repos, sg) => {
        const org = await memberOrganisation(repos, orgRef);
        await repos.upsertSharingGroupOrg(sg.id, org.id, extend);
        return `+${org.name}`;
      });
    },

    /** Removes an organisation from the group; not_found when it was not a member. */
    async removeOrg(p: Principal, sgRef: Ref, orgRef: Ref): Promise<void> {
      await membership(p, sgRef, 'remove_org', async (repos, sg) => {
        const org = await memberOrganisation(repos, orgRef);
        if (!(await repos.removeSharingGroupOrg(sg.id, org.id))) throw new NotFoundError('The organisation is not in the sharing group.');
        return `-${org.name}`;
      });
    },

    /** Adds a server (id, 0 = this instance, URL or name) to the group, or updates its `all_orgs` flag. */
    async addServer(p: Principal, sgRef: Ref, serverRef: Ref, allOrgs = false): Promise<void> {
      await membership(p, sgRef, 'add_server', async (repos, sg) => {
        const id = await memberServerId(repos, serverRef);
        await repos.upsertSharingGroupServer(sg.id, id, allOrgs);
        return `+server ${id}`;
      });
    },

    /** Removes a server from the group; not_found when it was not a member. */
    async removeServer(p: Principal, sgRef: Ref, serverRef: Ref): Promise<void> {
      await membership(p, sgRef, 'remove_server', async (repos, sg) => {
        const id = await memberServerId(repos, serverRef);
        if (!(await repos.removeSharingGroupServer(sg.id, id))) throw new NotFoundError('The server is not in the sharing group.');
        return `-server ${id}`;
      });
    },
  };
}

/** The sharing group service's type. */
export type SharingGroupService = ReturnType<typeof createSharingGroupService>;
