import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { canModifyEvent } from '../access/permissions.js';
import { canSeeEvent } from '../access/visibility.js';
import type { AttributeInput } from '../input/inputs.js';
import type { AttributeRecord, EventRecord } from '../model/records.js';
import type { New, Ref, Repositories, ShadowAttributeRecord } from '../ports/store.js';
import { attributeValue, type MispJson } from '../views/misp-json.js';
import { canSeeProposal, proposalJson } from '../views/proposal-json.js';
import { orgMap } from '../views/event-view.js';
import type { AttributeService } from './attributes.js';
import { audit } from './audit.js';
import { buildAttribute } from './build-attribute.js';
import type { CoreDeps } from './deps.js';
import { visibleAttribute, visibleEvent } from './visible.js';

/** What an accept did. */
export type ProposalOutcome = 'added' | 'edited' | 'deleted';

/** The proposal and its event if the principal may see both (not_found otherwise). */
async function visibleProposal(repos: Repositories, p: Principal, ref: Ref): Promise<{ proposal: ShadowAttributeRecord; event: EventRecord }> {
  const proposal = await repos.getShadowAttribute(ref);
  const event = proposal === undefined ? undefined : await repos.getEvent(proposal.event_id);
  if (proposal === undefined || proposal.deleted || event === undefined || !canSeeEvent(p.viewer, event) || !canSeeProposal(p.viewer, proposal, event)) {
    throw new NotFoundError('Invalid proposal.');
  }
  return { proposal, event };
}

/** Proposals (MISP shadow attributes): other organisations propose, the event's owner accepts or discards. */
export function createProposalService(deps: CoreDeps, attributes: AttributeService) {
  const { store, clock, ids } = deps;

  /** Validates the proposed attribute exactly as an attribute (buildAttribute) and stores it as a proposal. */
  async function saveProposal(repos: Repositories, p: Principal, event: EventRecord, input: AttributeInput, oldId: number, toDelete: boolean, field: string): Promise<ShadowAttributeRecord> {
    if (p.readOnly) throw new ForbiddenError('You do not have permission to do that.');
    const now = clock.now();
    const built = buildAttribute(input, { eventId: event.id, objectId: 0, now, uuid: () => ids.uuid(), defaultDistribution: 5, field });
    const record: New<ShadowAttributeRecord> = {
      uuid: ids.uuid(),
      old_id: oldId,
      event_id: event.id,
      event_uuid: event.uuid,
      org_id: p.org.id,
      email: p.user.email,
      type: built.type,
      category: built.category,
      value1: built.value1,
      value2: built.value2,
      to_ids: built.to_ids,
      comment: built.comment,
      first_seen: built.first_seen,
      last_seen: built.last_seen,
      timestamp: now,
      deleted: false,
      proposal_to_delete: toDelete,
      disable_correlation: built.disable_correlation,
      object_id: 0,
      object_relation: null,
    };
    const stored = await repos.insertShadowAttribute(record);
    await audit(repos, p, now, { action: toDelete ? 'propose-delete' : oldId === 0 ? 'propose-add' : 'propose-edit', model: 'ShadowAttribute', modelId: stored.id, title: `proposal on event ${event.id}` });
    return stored;
  }

  async function withOrgs(repos: Repositories, list: readonly ShadowAttributeRecord[]): Promise<MispJson[]> {
    const orgs = await orgMap(repos, [...new Set(list.map((s) => s.org_id))]);
    return list.map((s) => proposalJson(s, orgs.get(s.org_id)));
  }

  /** The attribute input that applies a proposal. */
  function inputOf(s: ShadowAttributeRecord): AttributeInput {
    return { type: s.type, category: s.category, value: attributeValue(s), to_ids: s.to_ids, comment: s.comment, disable_correlation: s.disable_correlation, first_seen: s.first_seen, last_seen: s.last_seen, tags: [] };
  }

  return {
    /** Proposes a new attribute on a visible event. */
    async add(p: Principal, eventRef: Ref, input: AttributeInput): Promise<MispJson> {
      return store.write(async (repos) => {
        const event = await visibleEvent(repos, p, eventRef);
        return (await withOrgs(repos, [await saveProposal(repos, p, event, input, 0, false, 'ShadowAttribute')]))[0] as MispJson;
      });
    },

    /** Proposes a change to a visible attribute (fields not given keep their current value). */
    async edit(p: Principal, attributeRef: Ref, patch: Partial<AttributeInput>): Promise<MispJson> {
      return store.write(async (repos) => {
        const { attribute, event } = await visibleAttribute(repos, p, attributeRef);
        // MISP refuses an edit proposal that changes nothing it knows ("Invalid input.").
        if (!(['type', 'category', 'value', 'to_ids', 'comment', 'disable_correlation', 'first_seen', 'last_seen'] as const).some((k) => patch[k] !== undefined)) {
          throw new InputError('ShadowAttribute: Invalid input, no change proposed.', { field: 'ShadowAttribute' });
        }
        const input = merged(attribute, patch);
        return (await withOrgs(repos, [await saveProposal(repos, p, event, input, attribute.id, false, 'ShadowAttribute')]))[0] as MispJson;
      });
    },

    /** Proposes the deletion of a visible attribute. */
    async delete(p: Principal, attributeRef: Ref): Promise<MispJson> {
      return store.write(async (repos) => {
        const { attribute, event } = await visibleAttribute(repos, p, attributeRef);
        return (await withOrgs(repos, [await saveProposal(repos, p, event, merged(attribute, {}), attribute.id, true, 'ShadowAttribute')]))[0] as MispJson;
      });
    },

    async view(p: Principal, ref: Ref): Promise<MispJson> {
      return store.read(async (repos) => {
        const { proposal } = await visibleProposal(repos, p, ref);
        return (await withOrgs(repos, [proposal]))[0] as MispJson;
      });
    },

    /** Proposals the principal may see, of one event or of every visible event. */
    async list(p: Principal, eventRef?: Ref): Promise<MispJson[]> {
      return store.read(async (repos) => {
        let list: ShadowAttributeRecord[];
        if (eventRef !== undefined) {
          const event = await visibleEvent(repos, p, eventRef);
          list = (await repos.listShadowAttributes({ eventIds: [event.id] })).filter((s) => canSeeProposal(p.viewer, s, event));
        } else {
          const all = await repos.listShadowAttributes({});
          const events = new Map<number, EventRecord | undefined>();
          for (const id of new Set(all.map((s) => s.event_id))) events.set(id, await repos.getEvent(id));
          list = all.filter((s) => {
            const e = events.get(s.event_id);
            return e !== undefined && canSeeEvent(p.viewer, e) && canSeeProposal(p.viewer, s, e);
          });
        }
        return withOrgs(repos, list);
      });
    },

    /**
     * Accepts a proposal (event owner with modify rights, or site admin): applied through
     * the attribute service (audit, correlation, timestamps, stream), then removed.
     */
    async accept(p: Principal, ref: Ref): Promise<ProposalOutcome> {
      const { proposal, event } = await store.read((repos) => visibleProposal(repos, p, ref));
      if (!canModifyEvent(p, event)) throw new ForbiddenError('You do not have permission to do that.');
      let outcome: ProposalOutcome;
      if (proposal.old_id === 0) {
        // As MISP's save does: a value the event already holds is refused.
        await attributes.add(p, event.id, [inputOf(proposal)], { breakOnDuplicate: true });
        outcome = 'added';
      } else if (proposal.proposal_to_delete) {
        await attributes.delete(p, proposal.old_id, false);
        outcome = 'deleted';
      } else {
        const { tags: _none, ...patch } = inputOf(proposal);
        await attributes.edit(p, proposal.old_id, patch);
        outcome = 'edited';
      }
      await store.write(async (repos) => {
        await repos.deleteShadowAttribute(proposal.id);
        await audit(repos, p, clock.now(), { action: 'accept', model: 'ShadowAttribute', modelId: proposal.id, title: `proposal on event ${event.id}` });
      });
      return outcome;
    },

    /** Discards a proposal: event owner organisation, site admin, or the proposer's organisation. */
    async discard(p: Principal, ref: Ref): Promise<void> {
      await store.write(async (repos) => {
        const { proposal, event } = await visibleProposal(repos, p, ref);
        const owner = event.orgc_id === p.org.id || event.org_id === p.org.id;
        // MISP: site admins, or users with perm_modify of the event's owner or of the proposer's organisation.
        if (p.readOnly || !(p.role.perm_site_admin || (p.role.perm_modify && (owner || proposal.org_id === p.org.id)))) throw new ForbiddenError('You do not have permission to do that.');
        await repos.deleteShadowAttribute(proposal.id);
        await audit(repos, p, clock.now(), { action: 'discard', model: 'ShadowAttribute', modelId: proposal.id, title: `proposal on event ${event.id}` });
      });
    },
  };
}

/** The attribute as it would be after the patch (what a proposed edit proposes). */
function merged(attribute: AttributeRecord, patch: Partial<AttributeInput>): AttributeInput {
  if (patch.type !== undefined && patch.type !== attribute.type && patch.value === undefined) {
    throw new InputError('ShadowAttribute.value: a new type needs a value', { field: 'ShadowAttribute.value' });
  }
  const category = patch.category ?? (patch.type !== undefined && patch.type !== attribute.type ? undefined : attribute.category);
  return {
    type: patch.type ?? attribute.type,
    ...(category === undefined ? {} : { category }),
    value: patch.value ?? attributeValue(attribute),
    to_ids: patch.to_ids ?? attribute.to_ids,
    comment: patch.comment ?? attribute.comment,
    disable_correlation: patch.disable_correlation ?? attribute.disable_correlation,
    first_seen: patch.first_seen !== undefined ? patch.first_seen : attribute.first_seen,
    last_seen: patch.last_seen !== undefined ? patch.last_seen : attribute.last_seen,
    tags: [],
  };
}

export type ProposalService = ReturnType<typeof createProposalService>;
