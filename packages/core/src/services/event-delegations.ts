import { ConflictError, ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requirePermission } from '../access/permissions.js';
import type { EventRecord } from '../model/records.js';
import type { EventDelegationRecord, Ref, Repositories } from '../ports/store.js';
import { buildEventView } from '../views/event-view.js';
import type { MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { visibleEvent } from './visible.js';

/** MISP's refusal for a delegation the caller may not act on, or that does not exist. */
export const NOT_AUTHORISED = 'You are not authorised to do that.';

/** MISP's refusal of a delegation request for an event that is not "Your organisation only". */
export const ONLY_ORG_ONLY = 'Only events with the distribution setting "Your Organisation Only" can be delegated.';

/** MISP's refusal of a second request for the same event. */
export const ALREADY_PENDING = 'This event already has a pending delegation request. Please revoke that before creating a new request.';

/** waggle's refusal while the `MISP.delegation` server setting is off (MISP hides the feature then). */
export const DELEGATION_DISABLED = 'Event delegation is not enabled on this instance (server setting MISP.delegation).';

/** A delegation request as a client sends it (`event_delegations/delegateEvent/<event>`). */
export interface DelegationRequest {
  /** The recipient organisation: id or UUID. */
  readonly org: string;
  /** -1 (the recipient decides), or 0 to 4: the distribution the event gets on accept. */
  readonly distribution: number;
  /** The sharing group for distribution 4. */
  readonly sharingGroupId: number;
  readonly message: string;
}

/** Which list `event_delegations/index` shows: requests to the caller's organisation, or from it. */
export type DelegationContext = 'pending' | 'issued';

/** A delegation as MISP writes an `EventDelegation` row (string ids). */
export function delegationJson(d: EventDelegationRecord): MispJson {
  return {
    id: String(d.id),
    org_id: String(d.org_id),
    requester_org_id: String(d.requester_org_id),
    event_id: String(d.event_id),
    message: d.message,
    distribution: String(d.distribution),
    sharing_group_id: String(d.sharing_group_id),
  };
}

/**
 * MISP's event delegation (EventDelegationsController): the creator organisation of an event that
 * only it sees asks another organisation to take the event over; the recipient accepts (the event
 * becomes the recipient's: org and orgc) or either side deletes the request.
 */
export function createEventDelegationService(deps: CoreDeps) {
  const { store, clock } = deps;

  async function requireEnabled(repos?: Repositories): Promise<void> {
    if ((await deps.settings.current(repos)).values.get('MISP.delegation') !== true) throw new ForbiddenError(DELEGATION_DISABLED, { setting: 'MISP.delegation' });
  }

  /** The delegation if the caller is one of `sides` (or a site admin); MISP's one refusal otherwise, for a missing one too. */
  async function delegationFor(repos: Repositories, p: Principal, ref: Ref, sides: readonly ('org_id' | 'requester_org_id')[]): Promise<EventDelegationRecord> {
    const id = typeof ref === 'number' ? ref : /^[1-9][0-9]{0,15}$/.test(ref) ? Number(ref) : undefined;
    const d = id === undefined ? undefined : await repos.getEventDelegation(id);
    if (d === undefined || !(p.viewer.siteAdmin || sides.some((side) => d[side] === p.org.id))) throw new ForbiddenError(NOT_AUTHORISED);
    return d;
  }

  /** MISP's index entry: the row with its organisations, event and sharing group (id, name/info, uuid; nulls when gone). */
  async function entryJson(repos: Repositories, d: EventDelegationRecord): Promise<MispJson> {
    const summary = async (ref: number): Promise<MispJson> => {
      const o = await repos.getOrganisation(ref);
      return o === undefined ? { id: null, name: null, uuid: null } : { id: String(o.id), name: o.name, uuid: o.uuid };
    };
    const event = await repos.getEvent(d.event_id);
    const sg = d.sharing_group_id === 0 ? undefined : await repos.getSharingGroup(d.sharing_group_id);
    return {
      EventDelegation: delegationJson(d),
      Org: await summary(d.org_id),
      RequesterOrg: await summary(d.requester_org_id),
      Event: event === undefined ? { id: null, info: null, uuid: null } : { id: String(event.id), info: event.info, uuid: event.uuid },
      SharingGroup: sg === undefined ? { id: null, name: null, uuid: null } : { id: String(sg.id), name: sg.name, uuid: sg.uuid },
    };
  }

  return {
    /** `delegateEvent` (the body read by `readRequest`): perm_delegate, the setting on, the caller's organisation created the event, it is org-only and has no pending request. */
    async delegate(p: Principal, eventRef: Ref, readRequest: () => DelegationRequest): Promise<MispJson> {
      requirePermission(p, 'perm_delegate', 'delegate events');
      await requireEnabled();
      // Read after the checks above: MISP's ACL answers before the body is looked at.
      const request = readRequest();
      return store.write(async (repos) => {
        const event = await visibleEvent(repos, p, eventRef);
        if (!p.viewer.siteAdmin && event.orgc_id !== p.org.id) throw new ForbiddenError(NOT_AUTHORISED);
        if (event.distribution !== 0) throw new ForbiddenError(ONLY_ORG_ONLY);
        if ((await repos.listEventDelegations({ eventId: event.id })).length > 0) throw new ForbiddenError(ALREADY_PENDING);
        // By id or UUID only (an organisation's name is no reference here).
        const org = /^([1-9][0-9]{0,15}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(request.org) ? await repos.getOrganisation(request.org) : undefined;
        if (org === undefined) throw new NotFoundError('Invalid organisation.', { field: 'EventDelegation.org_id' });
        if (!org.local) throw new InputError('EventDelegation.org_id: events can only be delegated to a local organisation.', { field: 'EventDelegation.org_id' });
        if (org.id === event.orgc_id) throw new InputError('EventDelegation.org_id: the organisation already owns the event.', { field: 'EventDelegation.org_id' });
        let sharingGroupId = 0;
        if (request.distribution === 4) {
          sharingGroupId = request.sharingGroupId;
          const sg = sharingGroupId === 0 ? undefined : await repos.getSharingGroup(sharingGroupId);
          if (sg === undefined || !(p.viewer.siteAdmin || p.viewer.sharingGroupIds.includes(sg.id))) {
            throw new InputError(`EventDelegation.sharing_group_id: sharing group ${String(sharingGroupId)} does not exist or is not available to you`, { field: 'EventDelegation.sharing_group_id' });
          }
        }
        let stored: EventDelegationRecord;
        try {
          stored = await repos.insertEventDelegation({ org_id: org.id, requester_org_id: p.org.id, event_id: event.id, message: request.message, distribution: request.distribution, sharing_group_id: sharingGroupId });
        } catch (e) {
          // The unique index: a concurrent request for the same event was stored first.
          if (e instanceof ConflictError) throw new ForbiddenError(ALREADY_PENDING);
          throw e;
        }
        await audit(repos, p, clock.now(), {
          action: 'request_delegation',
          model: 'Event',
          modelId: event.id,
          title: 'Requested event delegation',
          change: `Requested the delegation of event ${String(event.id)} to organisation ${org.name}`,
        });
        return { EventDelegation: delegationJson(stored) };
      });
    },

    /** `event_delegations/index`: requests to the caller's organisation (`pending`) or from it (`issued`), as MISP lists them. */
    async list(p: Principal, context: DelegationContext): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const rows = await repos.listEventDelegations(context === 'pending' ? { orgId: p.org.id } : { requesterOrgId: p.org.id });
        const out: MispJson[] = [];
        for (const d of rows) out.push(await entryJson(repos, d));
        return out;
      });
    },

    /** `event_delegations/view/<id>`: one request, for either side or a site admin. */
    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => entryJson(repos, await delegationFor(repos, p, ref, ['org_id', 'requester_org_id'])));
    },

    /**
     * `acceptDelegation`: the recipient organisation (perm_add) takes the event over: org, orgc and
     * user become the recipient's, the distribution the request named applies (-1 keeps the
     * event's), the request is removed, the transfer is audited and published on the stream.
     */
    async accept(p: Principal, ref: Ref): Promise<EventRecord> {
      requirePermission(p, 'perm_add', 'accept event delegations');
      await requireEnabled();
      const outgoing: Outgoing[] = [];
      const event = await store.write(async (repos) => {
        const d = await delegationFor(repos, p, ref, ['org_id']);
        const before = await repos.getEvent(d.event_id);
        if (before === undefined) throw new NotFoundError('Invalid event.');
        // Removed first: of two concurrent accepts, only the one that removed it goes on.
        if (!(await repos.deleteEventDelegation(d.id))) throw new ForbiddenError(NOT_AUTHORISED);
        const now = Math.max(clock.now(), before.timestamp + 1);
        const distribution = d.distribution === -1 ? before.distribution : (d.distribution as EventRecord['distribution']);
        const sharingGroupId = d.distribution === -1 ? before.sharing_group_id : distribution === 4 ? d.sharing_group_id : 0;
        const updated = await repos.updateEvent(before.id, { org_id: d.org_id, orgc_id: d.org_id, user_id: p.user.id, distribution, sharing_group_id: sharingGroupId, timestamp: now });
        const recipient = await repos.getOrganisation(d.org_id);
        await audit(repos, p, now, {
          action: 'accept_delegation',
          model: 'Event',
          modelId: before.id,
          title: 'Accepted event delegation',
          change: {
            text: `Event ${String(before.id)} successfully transferred to organisation ${recipient?.name ?? String(d.org_id)}`,
            org_id: [before.org_id, d.org_id],
            orgc_id: [before.orgc_id, d.org_id],
            user_id: [before.user_id, p.user.id],
            distribution: [before.distribution, distribution],
            sharing_group_id: [before.sharing_group_id, sharingGroupId],
          },
        });
        const settings = await deps.settings.current(repos);
        const full = await buildEventView(repos, updated, p.viewer, { correlationCap: settings.correlationCap, maxCorrelations: settings.maxCorrelationsPerEvent });
        outgoing.push({ topic: 'misp_json_event', payload: { Event: full, action: 'edit' } });
        return updated;
      });
      await publishAll(deps.bus, outgoing);
      return event;
    },

    /** `deleteDelegation`: either organisation (perm_add) or a site admin withdraws or declines the request. */
    async discard(p: Principal, ref: Ref): Promise<void> {
      requirePermission(p, 'perm_add', 'delete event delegations');
      await store.write(async (repos) => {
        const d = await delegationFor(repos, p, ref, ['org_id', 'requester_org_id']);
        if (!(await repos.deleteEventDelegation(d.id))) throw new ForbiddenError(NOT_AUTHORISED);
        await audit(repos, p, clock.now(), { action: 'delete_delegation', model: 'Event', modelId: d.event_id, title: 'Deleted event delegation request', change: delegationJson(d) });
      });
    },
  };
}

/** The event delegation service's type. */
export type EventDelegationService = ReturnType<typeof createEventDelegationService>;
