import { InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../../access/principal.js';
import type { OrganisationRecord, ServerRecord, SharingGroupRecord } from '../../model/records.js';
import type { Ref, Repositories } from '../../ports/store.js';
import type { MispJson } from '../../views/misp-json.js';
import { sharingGroupJson } from './sharing-group-json.js';

/**
 * Ids of the sharing groups the principal may see, read fresh (the principal's
 * viewer may be a few seconds old). Callers add the groups the principal's
 * organisation created, which it sees even when inactive. Undefined means all (site admins).
 */
export async function visibleSharingGroupIds(repos: Repositories, p: Principal): Promise<Set<number> | undefined> {
  if (p.role.perm_site_admin) return undefined;
  return new Set(await repos.sharingGroupIdsForOrg(p.org.id));
}

/** The sharing group if the principal may see it; otherwise not_found (existence stays hidden). */
export async function visibleSharingGroup(repos: Repositories, p: Principal, ref: Ref): Promise<SharingGroupRecord> {
  const sg = await repos.getSharingGroup(ref);
  if (sg !== undefined && (sg.org_id === p.org.id || p.role.perm_site_admin)) return sg;
  const ids = await repos.sharingGroupIdsForOrg(p.org.id);
  if (sg === undefined || !ids.includes(sg.id)) throw new NotFoundError("Sharing group doesn't exist or you do not have permission to access it.");
  return sg;
}

/** MISP's edit rule: the creator organisation (with perm_sharing_group) or a site admin. */
export function canEditSharingGroup(p: Principal, sg: SharingGroupRecord): boolean {
  if (p.readOnly) return false;
  return p.role.perm_site_admin || (p.role.perm_sharing_group && sg.org_id === p.org.id);
}

/** Sharing groups rendered with their members, in one batch of queries. */
export async function sharingGroupsJson(repos: Repositories, p: Principal, sgs: readonly SharingGroupRecord[]): Promise<MispJson[]> {
  if (sgs.length === 0) return [];
  const ids = sgs.map((sg) => sg.id);
  const members = await repos.listSharingGroupOrgs(ids);
  const servers = await repos.listSharingGroupServers(ids);
  const orgs = new Map((await repos.listOrganisations()).map((o) => [o.id, o]));
  const serverRecords = new Map((servers.some((s) => s.server_id !== 0) ? await repos.listServers() : []).map((s) => [s.id, s]));
  return sgs.map((sg) =>
    sharingGroupJson({
      sg,
      orgs,
      members: members.filter((m) => m.sharing_group_id === sg.id),
      servers: servers.filter((s) => s.sharing_group_id === sg.id),
      serverRecords,
      editable: canEditSharingGroup(p, sg),
    }),
  );
}

/** An organisation named by id, UUID or name, or an error naming the field (not_found when no field is given). */
export async function memberOrganisation(repos: Repositories, ref: Ref, field?: string): Promise<OrganisationRecord> {
  const org = await repos.getOrganisation(ref);
  if (org !== undefined) return org;
  if (field !== undefined) throw new InputError(`${field}: no organisation "${String(ref)}"`, { field });
  throw new NotFoundError('Invalid organisation.');
}

/** A server named by id (0 = this instance), URL or name: its id, or an error. */
export async function memberServerId(repos: Repositories, ref: Ref, field?: string): Promise<number> {
  if (ref === 0) return 0;
  let server: ServerRecord | undefined;
  if (typeof ref === 'number') server = await repos.getServer(ref);
  else {
    const wanted = ref.replace(/\/+$/, '').toLowerCase();
    server = (await repos.listServers()).find((s) => s.url.replace(/\/+$/, '').toLowerCase() === wanted || s.name.toLowerCase() === wanted);
  }
  if (server !== undefined) return server.id;
  if (field !== undefined) throw new InputError(`${field}: no server "${String(ref)}"`, { field });
  throw new NotFoundError('Invalid server.');
}
