import { ForbiddenError, InputError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { ACL_DENIED } from '../access/permissions.js';
import { canSeeSighting } from '../access/sighting-policy.js';
import { canSeeElement, canSeeEvent } from '../access/visibility.js';
import type { AttributeRecord, EventRecord, OrganisationRecord, SightingRecord } from '../model/records.js';
import type { Ref, Repositories, SightingFilter } from '../ports/store.js';
import { attributeJson, attributeValue, eventHeadJson, sightingJson, type MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import { sightingOrg } from './capture-sightings.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { visibleEvent } from './visible.js';

/** A sighting from another instance, validated (MISP sighting JSON with UUIDs). */
export interface SyncedSightingInput {
  readonly uuid: string;
  readonly attributeUuid: string;
  /** Unix seconds. */
  readonly dateSighting: number;
  readonly type: number;
  readonly source: string;
  readonly organisation?: { readonly uuid: string; readonly name: string };
}

/** `sightings/restSearch` filters, as MISP names them. */
export interface SightingSearch {
  /** With `ids`/`uuids`: what they name. */
  readonly context?: 'event' | 'attribute';
  readonly ids?: readonly number[];
  readonly uuids?: readonly string[];
  /** Organisations by id, UUID or name; `exclude` entries came with `!`. */
  readonly orgs?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly types?: readonly number[];
  readonly sources?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly includeAttribute?: boolean;
  readonly includeEvent?: boolean;
  readonly includeUuid?: boolean;
  readonly limit?: number;
}

const MAX_RESULTS = 100_000;

async function orgIdsOf(repos: Repositories, refs: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const ref of refs) {
    const org = await repos.getOrganisation(/^[0-9]+$/.test(ref) ? Number(ref) : ref);
    // An unknown organisation matches nothing (MISP maps it to -1).
    out.push(org?.id ?? -1);
  }
  return out;
}

/**
 * Sighting exchange between instances (MISP's `bulkSaveSightings`,
 * `filterSightingUuidsForPush` and `sightings/restSearch`): the endpoints a
 * peer's sighting sync calls, under the same access rules as any read or write.
 */
export function createSightingExchange(deps: CoreDeps) {
  const { store, clock } = deps;

  /** Resolves scope filters to event/attribute ids the principal may see; undefined = no scope. */
  async function scope(repos: Repositories, p: Principal, q: SightingSearch): Promise<Pick<SightingFilter, 'eventIds' | 'attributeIds'> | undefined> {
    const refs: Ref[] = [...(q.ids ?? []), ...(q.uuids ?? [])];
    if (q.context === undefined || refs.length === 0) return undefined;
    const ids: number[] = [];
    for (const ref of refs) {
      const row = q.context === 'event' ? await repos.getEvent(ref) : await repos.getAttribute(ref);
      if (row !== undefined) ids.push(row.id);
    }
    return q.context === 'event' ? { eventIds: ids } : { attributeIds: ids };
  }

  return {
    /**
     * MISP `sightings/restSearch`: sightings matching the filters that the
     * principal may see (visible event and attribute, then the sighting
     * policy), oldest first, with their organisation and, on request, the
     * attribute and event UUIDs a sync needs.
     */
    async search(p: Principal, q: SightingSearch): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const within = await scope(repos, p, q);
        const filter: SightingFilter = {
          ...within,
          ...(q.orgs !== undefined && q.orgs.include.length > 0 ? { orgIds: { include: await orgIdsOf(repos, q.orgs.include), exclude: await orgIdsOf(repos, q.orgs.exclude) } } : {}),
          ...(q.orgs !== undefined && q.orgs.include.length === 0 && q.orgs.exclude.length > 0 ? { orgIds: { exclude: await orgIdsOf(repos, q.orgs.exclude) } } : {}),
          ...(q.types !== undefined ? { types: q.types } : {}),
          ...(q.sources !== undefined ? { sources: q.sources } : {}),
          ...(q.from !== undefined ? { from: q.from } : {}),
          ...(q.to !== undefined ? { to: q.to } : {}),
          limit: Math.min(q.limit ?? MAX_RESULTS, MAX_RESULTS),
        };
        const rows = await repos.listSightings(filter);
        const events = new Map<number, EventRecord | undefined>();
        const attributes = new Map<number, AttributeRecord | undefined>();
        const orgs = new Map<number, OrganisationRecord | undefined>();
        const out: MispJson[] = [];
        for (const s of rows) {
          if (!events.has(s.event_id)) events.set(s.event_id, await repos.getEvent(s.event_id));
          const event = events.get(s.event_id);
          if (event === undefined || !canSeeEvent(p.viewer, event) || !canSeeSighting(p.viewer, s, event)) continue;
          if (!attributes.has(s.attribute_id)) attributes.set(s.attribute_id, await repos.getAttribute(s.attribute_id));
          const attribute = attributes.get(s.attribute_id);
          if (attribute === undefined || !canSeeElement(p.viewer, attribute, event)) continue;
          if (!orgs.has(s.org_id)) orgs.set(s.org_id, await repos.getOrganisation(s.org_id));
          const json = sightingJson(s, orgs.get(s.org_id));
          json.value = attributeValue(attribute);
          if (q.includeUuid === true || q.includeAttribute === true) json.attribute_uuid = attribute.uuid;
          if (q.includeUuid === true || q.includeEvent === true) json.event_uuid = event.uuid;
          // PyMISP's search_sightings(include_attribute/include_event_meta) pops `Attribute`/`Event` from each sighting.
          if (q.includeAttribute === true) Object.assign(json, { attribute_type: attribute.type, attribute_category: attribute.category, attribute_to_ids: attribute.to_ids, attribute_value: attributeValue(attribute), Attribute: attributeJson(attribute) });
          if (q.includeEvent === true) Object.assign(json, { event_info: event.info, event_org_id: String(event.org_id), event_orgc_id: String(event.orgc_id), Event: eventHeadJson(event) });
          out.push(json);
        }
        return out;
      });
    },

    /** MISP `filterSightingUuidsForPush/<event>`: which of these sighting UUIDs exist here on that (visible) event. */
    async existingUuids(p: Principal, eventRef: Ref, uuids: readonly string[]): Promise<string[]> {
      return store.read(async (repos) => {
        const event = await visibleEvent(repos, p, eventRef);
        if (uuids.length === 0) return [];
        const rows = await repos.listSightings({ eventIds: [event.id], uuids });
        return rows.map((s) => s.uuid);
      });
    },

    /**
     * MISP `bulkSaveSightings`: adds sightings of one event the principal may
     * see, in one transaction. Known UUIDs, and attributes that are not on
     * this event or not visible, are skipped. A sync user saves each sighting
     * for the organisation it names (recorded when new); anyone else for their
     * own. An expiration (type 2) replaces the same organisation's earlier one
     * on that attribute, as MISP does. Returns how many were added.
     */
    async bulkSave(p: Principal, eventRef: Ref, sightings: readonly SyncedSightingInput[]): Promise<number> {
      if (p.readOnly || !(p.role.perm_site_admin || p.role.perm_sync || p.role.perm_sighting)) throw new ForbiddenError(ACL_DENIED);
      for (const [i, s] of sightings.entries()) {
        if (![0, 1, 2].includes(s.type)) throw new InputError(`Sighting[${String(i)}].type must be 0, 1 or 2`, { field: `Sighting[${String(i)}].type` });
      }
      const outgoing: Outgoing[] = [];
      const added = await store.write(async (repos) => {
        const now = clock.now();
        const event = await visibleEvent(repos, p, eventRef);
        const seen = new Set((await repos.listSightings({ uuids: sightings.map((s) => s.uuid) })).map((s) => s.uuid));
        const attrs = new Map<string, AttributeRecord | undefined>();
        let count = 0;
        for (const s of sightings) {
          const uuid = s.uuid.toLowerCase();
          if (seen.has(uuid)) continue;
          const key = s.attributeUuid.toLowerCase();
          if (!attrs.has(key)) attrs.set(key, await repos.getAttribute(key));
          const attribute = attrs.get(key);
          if (attribute === undefined || attribute.event_id !== event.id || !canSeeElement(p.viewer, attribute, event)) continue;
          const org = p.role.perm_sync ? await sightingOrg(repos, deps, p, s.organisation !== undefined ? { Organisation: s.organisation } : {}) : p.org;
          if (s.type === 2) {
            for (const old of await repos.listSightings({ attributeIds: [attribute.id], orgId: org.id, types: [2] })) await repos.deleteSighting(old.id);
          }
          const row: SightingRecord = await repos.insertSighting({ uuid, attribute_id: attribute.id, event_id: event.id, org_id: org.id, date_sighting: s.dateSighting, source: s.source, type: s.type }, now);
          seen.add(uuid);
          outgoing.push({ topic: 'misp_json_sighting', payload: { Sighting: { ...sightingJson(row, org), attribute_uuid: attribute.uuid, event_uuid: event.uuid }, action: 'add' } });
          count++;
        }
        if (count > 0) await audit(repos, p, now, { action: 'add', model: 'Sighting', modelId: event.id, title: `${String(count)} sighting(s) saved in bulk on event ${event.uuid}` });
        return count;
      });
      await publishAll(deps.bus, outgoing);
      return added;
    },
  };
}

/** The sighting exchange's type. */
export type SightingExchange = ReturnType<typeof createSightingExchange>;
