import { InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requirePermission } from '../access/permissions.js';
import { canSeeSighting } from '../access/sighting-policy.js';
import type { OrganisationRecord, SightingRecord } from '../model/records.js';
import type { Ref } from '../ports/store.js';
import { sightingJson, type MispJson } from '../views/misp-json.js';
import { orgMap } from '../views/event-view.js';
import { audit } from './audit.js';
import { createSightingExchange } from './sighting-exchange.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { visibleAttribute, visibleEvent } from './visible.js';

/** A sighting as a client reports it. */
export interface SightingInput {
  readonly attribute?: Ref;
  readonly value?: string;
  readonly type?: number;
  readonly source?: string;
  readonly timestamp?: number;
  readonly uuid?: string;
}

/**
 * Sighting use cases. Visibility follows MISP's default sighting policy: a
 * sighting is shown to the organisation that reported it and to the owner of the event.
 */
export function createSightingService(deps: CoreDeps) {
  const { store, clock } = deps;
  const visibleTo = (p: Principal, s: SightingRecord, eventOrg: number): boolean => canSeeSighting(p.viewer, s, { org_id: eventOrg });

  return {
    ...createSightingExchange(deps),
    /** Records a sighting of one attribute, or of every visible attribute with the given value. */
    async add(p: Principal, input: SightingInput): Promise<MispJson[]> {
      requirePermission(p, 'perm_sighting', 'add sightings');
      const type = input.type ?? 0;
      if (![0, 1, 2].includes(type)) throw new InputError('Sighting.type must be 0 (sighting), 1 (false positive) or 2 (expiration)', { field: 'type' });
      const outgoing: Outgoing[] = [];
      const out = await store.write(async (repos) => {
        const now = clock.now();
        const when = input.timestamp ?? now;
        let targets;
        if (input.attribute !== undefined) targets = [(await visibleAttribute(repos, p, input.attribute)).attribute];
        else if (input.value !== undefined && input.value !== '') {
          targets = [];
          for await (const batch of repos.searchAttributes({ value: { include: [input.value], exclude: [] } }, p.viewer)) targets.push(...batch);
          if (targets.length === 0) throw new InputError('No attribute with this value is visible to you', { field: 'value' });
        } else throw new InputError('Give an attribute id/uuid or a value to sight', { field: 'value' });
        const created: MispJson[] = [];
        for (const [i, a] of targets.entries()) {
          const s = await repos.insertSighting({
            uuid: i === 0 && input.uuid !== undefined ? input.uuid : deps.ids.uuid(),
            attribute_id: a.id, event_id: a.event_id, org_id: p.org.id, date_sighting: when, source: input.source ?? '', type,
          }, now);
          const json = sightingJson(s, p.org);
          created.push(json);
          outgoing.push({ topic: 'misp_json_sighting', payload: { Sighting: { ...json, attribute_uuid: a.uuid }, action: 'add' } });
        }
        await audit(repos, p, now, { action: 'add', model: 'Sighting', modelId: targets[0]?.id ?? 0, title: `${created.length} sighting(s)` });
        return created;
      });
      await publishAll(deps.bus, outgoing);
      return out;
    },

    /** Sightings of an attribute or of an event's attributes. */
    async list(p: Principal, scope: { attribute?: Ref; event?: Ref }): Promise<MispJson[]> {
      return store.read(async (repos) => {
        // Each sighting names its organisation, as MISP's listSightings does.
        const withOrgs = async (rows: readonly SightingRecord[]): Promise<MispJson[]> => {
          const orgs = rows.length === 0 ? new Map<number, OrganisationRecord>() : await orgMap(repos, rows.map((s) => s.org_id));
          return rows.map((s) => sightingJson(s, orgs.get(s.org_id)));
        };
        if (scope.attribute !== undefined) {
          const { attribute, event } = await visibleAttribute(repos, p, scope.attribute);
          const rows = await repos.listSightings({ attributeIds: [attribute.id] });
          return withOrgs(rows.filter((s) => visibleTo(p, s, event.org_id)));
        }
        if (scope.event !== undefined) {
          const event = await visibleEvent(repos, p, scope.event);
          const rows = await repos.listSightings({ eventIds: [event.id] });
          return withOrgs(rows.filter((s) => visibleTo(p, s, event.org_id)));
        }
        // No scope: the sightings the viewer's organisation reported (all of them for site admins).
        return withOrgs(await repos.listSightings(p.viewer.siteAdmin ? {} : { orgId: p.org.id }));
      });
    },

    /** Deletes a sighting reported by the principal's organisation (site admins: any). */
    async delete(p: Principal, ref: Ref): Promise<void> {
      requirePermission(p, 'perm_sighting', 'delete sightings');
      await store.write(async (repos) => {
        const s = await repos.getSighting(ref);
        if (s === undefined || (!p.viewer.siteAdmin && s.org_id !== p.org.id)) throw new NotFoundError('Invalid sighting.');
        await repos.deleteSighting(s.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'Sighting', modelId: s.id, title: s.uuid });
      });
    },
  };
}

/** The sighting service's type. */
export type SightingService = ReturnType<typeof createSightingService>;
