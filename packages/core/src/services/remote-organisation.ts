import type { Principal } from '../access/principal.js';
import type { OrganisationRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';
import type { CoreDeps } from './deps.js';

/** An organisation as another instance names it: by UUID, by name, or both. */
export interface OrganisationRef {
  readonly uuid?: string | undefined;
  readonly name?: string | undefined;
}

/** The local record of an organisation named by another instance: by UUID first, then by name. */
export async function findOrganisation(repos: Repositories, ref: OrganisationRef): Promise<OrganisationRecord | undefined> {
  return (ref.uuid !== undefined ? await repos.getOrganisation(ref.uuid) : undefined) ?? (ref.name !== undefined ? await repos.getOrganisation(ref.name) : undefined);
}

/** Records an organisation of another instance (not local), created by `p`. */
export async function addExternalOrganisation(repos: Repositories, deps: Pick<CoreDeps, 'clock'>, p: Principal, uuid: string, name: string): Promise<OrganisationRecord> {
  const now = deps.clock.now();
  return repos.insertOrganisation({
    uuid, name, description: '', type: '', nationality: '', sector: '', contacts: '', local: false,
    restricted_to_domain: '', landingpage: '', created_by: p.user.id, date_created: now, date_modified: now,
  });
}
