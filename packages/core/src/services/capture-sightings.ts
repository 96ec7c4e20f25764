import type { Principal } from '../access/principal.js';
import type { OrganisationRecord } from '../model/records.js';
import type { Repositories } from '../ports/store.js';
import type { CoreDeps } from './deps.js';
import { isObj, text, UUID, type Json } from './json-fields.js';
import { addExternalOrganisation, findOrganisation } from './remote-organisation.js';


function attributesOf(ev: Json): Json[] {
  const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
  return [...list(ev.Attribute), ...list(ev.Object).flatMap((o) => list(o.Attribute))];
}

/** The local organisation a received sighting names (recorded when new), or the receiver's own when it names none. */
export async function sightingOrg(repos: Repositories, deps: Pick<CoreDeps, 'clock'>, p: Principal, s: Json): Promise<OrganisationRecord> {
  const block = isObj(s.Organisation) ? s.Organisation : undefined;
  const uuid = text(block?.uuid) ?? text(s.org_uuid);
  const name = text(block?.name);
  const found = await findOrganisation(repos, { uuid, name });
  if (found !== undefined) return found;
  if (name === undefined || uuid === undefined || !UUID.test(uuid)) return p.org;
  return addExternalOrganisation(repos, deps, p, uuid.toLowerCase(), name);
}

/**
 * Stores the sightings that travel inside an event's attributes (`Attribute.Sighting`, as MISP
 * syncs them) once the event itself is saved: new ones by UUID, each with its reporting
 * organisation, already known ones skipped. Returns how many were added.
 */
export async function captureSightings(deps: Pick<CoreDeps, 'store' | 'clock'>, p: Principal, event: Record<string, unknown>): Promise<number> {
  const carried = attributesOf(event).filter((a) => Array.isArray(a.Sighting) && a.Sighting.length > 0 && text(a.uuid) !== undefined);
  if (carried.length === 0) return 0;
  return deps.store.write(async (repos) => {
    let added = 0;
    for (const a of carried) {
      const attribute = await repos.getAttribute((text(a.uuid) as string).toLowerCase());
      if (attribute === undefined) continue;
      for (const s of (a.Sighting as unknown[]).filter(isObj)) {
        const uuid = text(s.uuid);
        if (uuid === undefined || !UUID.test(uuid) || (await repos.getSighting(uuid.toLowerCase())) !== undefined) continue;
        const org = await sightingOrg(repos, deps, p, s);
        const date = Number(s.date_sighting);
        const type = Number(s.type ?? 0);
        await repos.insertSighting({
          uuid: uuid.toLowerCase(), attribute_id: attribute.id, event_id: attribute.event_id, org_id: org.id,
          date_sighting: Number.isFinite(date) && date > 0 ? Math.floor(date) : deps.clock.now(), source: text(s.source) ?? '',
          type: type === 1 || type === 2 ? type : 0,
        }, deps.clock.now());
        added++;
      }
    }
    return added;
  });
}
