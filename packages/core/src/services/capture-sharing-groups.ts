import type { Principal } from '../access/principal.js';
import type { OrganisationRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';
import type { CoreDeps } from './deps.js';
import { isObj, text, UUID, type Json } from './json-fields.js';
import { addExternalOrganisation, findOrganisation } from './remote-organisation.js';


/** The event and its elements that may carry a `SharingGroup` block. */
function elementsOf(ev: Json): Json[] {
  const out: Json[] = [ev];
  const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
  for (const a of list(ev.Attribute)) out.push(a);
  for (const o of list(ev.Object)) {
    out.push(o);
    for (const a of list(o.Attribute)) out.push(a);
  }
  return out;
}

async function orgFor(repos: Repositories, deps: Pick<CoreDeps, 'clock' | 'ids'>, p: Principal, block: unknown): Promise<OrganisationRecord | undefined> {
  if (!isObj(block)) return undefined;
  const uuid = text(block.uuid);
  const name = text(block.name);
  const found = await findOrganisation(repos, { uuid, name });
  if (found !== undefined || name === undefined) return found;
  return addExternalOrganisation(repos, deps, p, uuid !== undefined && UUID.test(uuid) ? uuid.toLowerCase() : deps.ids.uuid(), name);
}

/**
 * MISP's `captureSG` for events arriving from another instance: each
 * `SharingGroup` block (matched by UUID) becomes a local sharing group with
 * its member organisations, created when missing and extended with members
 * it lacks, and the element's `sharing_group_id` is rewritten to the local
 * id. Returns the rewritten event and the caller with the captured groups
 * added to what it may see, so the save that follows accepts them.
 */
export async function captureSharingGroups(deps: Pick<CoreDeps, 'store' | 'clock' | 'ids'>, p: Principal, event: Record<string, unknown>): Promise<{ event: Record<string, unknown>; principal: Principal }> {
  const elements = elementsOf(event).filter((e) => String(e.distribution) === '4' && isObj(e.SharingGroup) && text((e.SharingGroup as Json).uuid) !== undefined);
  if (elements.length === 0) return { event, principal: p };
  const captured = await deps.store.write(async (repos) => {
    const byUuid = new Map<string, number>();
    for (const e of elements) {
      const block = e.SharingGroup as Json;
      const uuid = (text(block.uuid) as string).toLowerCase();
      let id = byUuid.get(uuid);
      if (id === undefined) {
        const now = deps.clock.now();
        const owner = (await orgFor(repos, deps, p, block.Organisation)) ?? p.org;
        const sg = (await repos.getSharingGroup(uuid)) ?? (await repos.insertSharingGroup({
          uuid, name: text(block.name) ?? uuid, description: text(block.description) ?? '', releasability: text(block.releasability) ?? '',
          organisation_uuid: owner.uuid, org_id: owner.id, sync_user_id: p.user.id, active: true, local: false, roaming: block.roaming === true,
          created: now, modified: now,
        }));
        for (const m of Array.isArray(block.SharingGroupOrg) ? block.SharingGroupOrg.filter(isObj) : []) {
          const org = await orgFor(repos, deps, p, m.Organisation);
          if (org !== undefined) await repos.upsertSharingGroupOrg(sg.id, org.id, m.extend === true || m.extend === 1 || m.extend === '1');
        }
        // The sending organisation takes part in what it sends.
        await repos.upsertSharingGroupOrg(sg.id, p.org.id, false);
        id = sg.id;
        byUuid.set(uuid, id);
      }
      e.sharing_group_id = String(id);
    }
    return [...byUuid.values()];
  });
  const seen = new Set([...p.viewer.sharingGroupIds, ...captured]);
  return { event, principal: { ...p, viewer: { ...p.viewer, sharingGroupIds: [...seen] } } };
}
