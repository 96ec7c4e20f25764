import { JsonText } from '@waggle/bus';
import { ConflictError, ForbiddenError, InputError, NotFoundError, UnavailableError } from '@waggle/errors';
import type { Principal } from '../access/principal.js';
import { requireModifyEvent, requirePermission } from '../access/permissions.js';
import type { EventInput } from '../input/inputs.js';
import type { AttributeRecord, EventRecord, EventReportRecord, ObjectRecord, OrganisationRecord } from '../model/records.js';
import type { EventIndexFilters, SearchFilters } from '../ports/queries.js';
import type { AttachedTag, Ref, Repositories } from '../ports/store.js';
import { buildEventView, type EventViewOptions } from '../views/event-view.js';
import { searchEventContent, type SearchContentFilter } from '../views/search-event-content.js';
import { eventHeadJson, groupByTarget, orgSummaryJson, tagJson, type MispJson } from '../views/misp-json.js';
import { audit } from './audit.js';
import { publishAll, type CoreDeps, type Outgoing } from './deps.js';
import { mergeEventContent } from './event-sync.js';
import { insertReport, mergeReports } from './event-report-writer.js';
import { writeAttributes, writeObject, writeReferences, type WriteContext } from './event-writer.js';
import { addExternalOrganisation, findOrganisation } from './remote-organisation.js';
import { createTagResolver } from './tag-resolver.js';
import { visibleEvent } from './visible.js';

/** Options of an event view request. */
export type ViewOptions = Omit<EventViewOptions, 'correlationCap' | 'maxCorrelations'>;

async function creatorOrg(repos: Repositories, p: Principal, deps: CoreDeps, input: EventInput): Promise<OrganisationRecord> {
  const orgc = input.orgc;
  // Only sync users and site admins may create events on behalf of another organisation (MISP's rule).
  if (orgc === undefined || !(p.role.perm_sync || p.role.perm_site_admin)) return p.org;
  const found = await findOrganisation(repos, orgc);
  if (found !== undefined) return found;
  if (orgc.name === undefined) return p.org;
  return addExternalOrganisation(repos, deps, p, orgc.uuid ?? deps.ids.uuid(), orgc.name);
}

/** Event use cases: add, view, edit, delete, publish, index, search. */
export function createEventService(deps: CoreDeps) {
  const { store, clock } = deps;

  /** The correlation limits in force (`MISP.correlation_limit`, `MISP.max_correlations_per_event`); pass the transaction's repos inside one. */
  async function limits(repos?: Repositories): Promise<Pick<EventViewOptions, 'correlationCap' | 'maxCorrelations'>> {
    const settings = await deps.settings.current(repos);
    return { correlationCap: settings.correlationCap, maxCorrelations: settings.maxCorrelationsPerEvent };
  }

  async function view(p: Principal, ref: Ref, opts: ViewOptions = {}): Promise<MispJson> {
    const inForce = await limits();
    return store.read(async (repos) => buildEventView(repos, await visibleEvent(repos, p, ref), p.viewer, { ...opts, ...inForce }));
  }

  async function fillEvent(ctx: WriteContext, input: EventInput): Promise<{ attributes: AttributeRecord[]; objects: ObjectRecord[] }> {
    const attributes = await writeAttributes(ctx, input.attributes, 'Event.Attribute');
    const written = [];
    for (const [i, o] of input.objects.entries()) {
      const w = await writeObject(ctx, o, `Event.Object[${i}]`);
      attributes.push(...w.attributes);
      written.push({ object: w.object, input: o });
    }
    // References last: they may point at objects that come later in the list.
    for (const w of written) await writeReferences(ctx, w.object, w.input);
    return { attributes, objects: written.map((w) => w.object) };
  }

  async function fullJson(repos: Repositories, p: Principal, ref: number | EventRecord, metadata = false, written?: EventViewOptions['written']): Promise<MispJson> {
    const event = typeof ref === 'number' ? await repos.getEvent(ref) : ref;
    if (event === undefined) throw new NotFoundError('Invalid event.');
    // Write answers leave out correlations: computing them per write made ingest slow down as the store grew.
    return buildEventView(repos, event, p.viewer, { ...(await limits(repos)), metadata, includeCorrelations: false, ...(written !== undefined ? { written } : {}) });
  }

  async function addEvent(p: Principal, input: EventInput, options: { metadata?: boolean } = {}): Promise<{ event: MispJson; text: string }> {
    requirePermission(p, 'perm_add', 'add events');
    if (input.info === undefined || input.info.trim() === '') throw new InputError('Event.info is required', { field: 'Event.info' });
    const stored = await store.write(async (repos) => {
      const now = clock.now();
      // MISP's Event::_add refuses blocklisted events first, whoever adds them (a user, a push, a pull, a feed).
      if (input.uuid !== undefined && (await repos.isEventBlocklisted(input.uuid))) throw new ForbiddenError('Event blocked by event blocklist.', { uuid: input.uuid });
      if (input.uuid !== undefined) {
        const existing = await repos.getEvent(input.uuid);
        if (existing !== undefined) throw new ConflictError('Event already exists, if you would like to edit it, use the url in the location header.', { id: existing.id, uuid: existing.uuid });
      }
      const distribution = input.distribution ?? (await deps.settings.current(repos)).defaultEventDistribution;
      if (distribution === 4 && (input.sharing_group_id ?? 0) === 0) throw new InputError('Event.sharing_group_id is required when distribution is 4', { field: 'Event.sharing_group_id' });
      if (distribution === 4 && !p.viewer.siteAdmin && !p.viewer.sharingGroupIds.includes(input.sharing_group_id ?? 0)) {
        throw new InputError(`Event.sharing_group_id: sharing group ${String(input.sharing_group_id)} does not exist or is not available to you`, { field: 'Event.sharing_group_id' });
      }
      const orgc = await creatorOrg(repos, p, deps, input);
      if (await repos.isOrganisationBlocklisted(orgc.uuid)) throw new ForbiddenError('Event blocked by organisation blocklist.', { uuid: input.uuid, orgc: orgc.uuid });
      // An event a sync user pushes with its own timestamp is another instance's copy: locked, as MISP
      // stores it, so a later pull from that instance may update it.
      const syncedCopy = p.role.perm_sync && !p.role.perm_site_admin && input.timestamp !== undefined;
      const published = input.published === true && (p.role.perm_publish || p.role.perm_site_admin);
      // Every attribute given is written (or the whole request fails), so the count is known up front.
      const planned = input.objects.reduce((n, o) => n + o.attributes.length, input.attributes.length);
      const event = await repos.insertEvent({
        uuid: input.uuid ?? deps.ids.uuid(), org_id: p.org.id, orgc_id: orgc.id, user_id: p.user.id, info: (input.info ?? '').trim(),
        date: input.date ?? new Date(now * 1000).toISOString().slice(0, 10), threat_level_id: input.threat_level_id ?? 4,
        analysis: input.analysis ?? 0, distribution, sharing_group_id: distribution === 4 ? (input.sharing_group_id ?? 0) : 0,
        published, publish_timestamp: published ? (input.publish_timestamp ?? now) : (input.publish_timestamp ?? 0),
        timestamp: input.timestamp ?? now, attribute_count: planned, locked: syncedCopy, proposal_email_lock: false,
        disable_correlation: input.disable_correlation ?? false, extends_uuid: input.extends_uuid ?? '',
        event_creator_email: p.user.email, sighting_timestamp: 0, protected: false,
      });
      const attributeTags: AttachedTag[] = [];
      const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p), attributeTags };
      // The event is new: its tags are the distinct ones given (the first mention of a tag wins, as the store's unique index has it).
      const eventTags: AttachedTag[] = [];
      for (const t of input.tags) {
        const tag = await ctx.resolveTag(t);
        if (!eventTags.some((e) => e.tag.id === tag.id)) eventTags.push({ target_id: event.id, local: t.local ?? false, tag });
      }
      await repos.attachEventTags(eventTags.map((e) => ({ event_id: event.id, tag_id: e.tag.id, local: e.local })));
      const written = await fillEvent(ctx, input);
      const reports = input.reports ?? [];
      const writtenReports: EventReportRecord[] = [];
      for (const [i, r] of reports.entries()) writtenReports.push(await insertReport(ctx, r, `Event.EventReport[${i}]`));
      const count = written.attributes.length;
      const counted = count === planned ? event : await repos.updateEvent(event.id, { attribute_count: count });
      await audit(repos, p, now, { action: 'add', model: 'Event', modelId: event.id, title: event.info, change: { attributes: count, reports: reports.length } });
      return { event: counted, written: { ...written, reports: writtenReports, eventTags, attributeTags, orgs: [p.org, orgc] } };
    });
    // The answer is built after COMMIT, so the write lock is not held while thousands of
    // attributes become JSON; it comes from the records just written, not read back.
    const full = await store.read((repos) => fullJson(repos, p, stored.event, options.metadata ?? false, stored.written));
    const text = JSON.stringify(full);
    // The bus message is {"Event": …, "action": "add"}, built around the same text.
    await publishAll(deps.bus, [{ topic: 'misp_json_event', payload: new JsonText(`{"Event":${text},"action":"add"}`) }]);
    return { event: full, text };
  }

  return {
    view,

    /** Whether the event exists and is visible (HEAD). */
    async exists(p: Principal, ref: Ref): Promise<boolean> {
      return store.read(async (repos) => {
        try {
          await visibleEvent(repos, p, ref);
          return true;
        } catch {
          return false;
        }
      });
    },

    /** Creates an event with its attributes, objects, references and tags in one transaction. */
    async add(p: Principal, input: EventInput, options: { metadata?: boolean } = {}): Promise<MispJson> {
      return (await addEvent(p, input, options)).event;
    },

    /**
     * As `add`, with the event's JSON text as well (`JSON.stringify` of `event`): the text is made
     * once and serves both the bus message and the caller's answer (events/add).
     */
    addAsText: addEvent,

    /** MISP edit semantics: fields updated, attributes/objects merged by UUID, the event unpublished unless told otherwise. */
    async edit(p: Principal, ref: Ref, input: EventInput, options: { metadata?: boolean } = {}): Promise<MispJson> {
      const outgoing: Outgoing[] = [];
      const json = await store.write(async (repos) => {
        const event = await visibleEvent(repos, p, ref);
        // A sync user sends the remote copy with its own timestamp: MISP keeps that
        // timestamp and refuses a copy that is not newer, so both sides agree.
        // (Site admins hold every permission, perm_sync included, but edit as users.)
        const fromSync = p.role.perm_sync && !p.role.perm_site_admin && input.timestamp !== undefined;
        // Checked before the permission: an event bounced back to its origin is "not newer", not a forbidden edit.
        if (fromSync && (input.timestamp ?? 0) <= event.timestamp) {
          throw new ForbiddenError('Event could not be saved: Event in the request not newer than the local copy.', { id: event.id, uuid: event.uuid });
        }
        requireModifyEvent(p, event);
        if (input.uuid !== undefined && input.uuid !== event.uuid) throw new InputError('Event.uuid does not match the event being edited', { field: 'Event.uuid' });
        const now = fromSync ? (input.timestamp ?? 0) : Math.max(clock.now(), event.timestamp + 1);
        const ctx: WriteContext = { deps, repos, principal: p, event, now, resolveTag: createTagResolver(repos, p) };
        for (const t of input.tags) await repos.attachEventTag(event.id, (await ctx.resolveTag(t)).id, t.local ?? false);
        const merged = await mergeEventContent(ctx, input.attributes, input.objects);
        const reports = await mergeReports(ctx, input.reports ?? []);
        const distribution = input.distribution ?? event.distribution;
        const sgId = distribution === 4 ? (input.sharing_group_id ?? event.sharing_group_id) : 0;
        if (distribution === 4 && (sgId === 0 || (!p.viewer.siteAdmin && !p.viewer.sharingGroupIds.includes(sgId)))) {
          throw new InputError(`Event.sharing_group_id: sharing group ${sgId} does not exist or is not available to you`, { field: 'Event.sharing_group_id' });
        }
        const publish = input.published === true && (p.role.perm_publish || p.role.perm_site_admin);
        await repos.updateEvent(event.id, {
          info: input.info?.trim() || event.info, date: input.date ?? event.date, threat_level_id: input.threat_level_id ?? event.threat_level_id,
          analysis: input.analysis ?? event.analysis, distribution, sharing_group_id: sgId,
          disable_correlation: input.disable_correlation ?? event.disable_correlation, extends_uuid: input.extends_uuid ?? event.extends_uuid,
          timestamp: now, published: publish,
          publish_timestamp: publish ? (fromSync ? (input.publish_timestamp ?? now) : now) : event.publish_timestamp,
        });
        await repos.recountAttributes(event.id);
        await audit(repos, p, now, { action: 'edit', model: 'Event', modelId: event.id, title: event.info, change: { ...merged, reports } });
        const full = await fullJson(repos, p, event.id, options.metadata ?? false);
        outgoing.push({ topic: 'misp_json_event', payload: { Event: full, action: 'edit' } });
        return full;
      });
      await publishAll(deps.bus, outgoing);
      return json;
    },

    /** Deletes an event and everything in it. */
    async delete(p: Principal, ref: Ref): Promise<EventRecord> {
      const event = await store.write(async (repos) => {
        const e = await visibleEvent(repos, p, ref);
        requireModifyEvent(p, e);
        await repos.deleteEvent(e.id);
        await audit(repos, p, clock.now(), { action: 'delete', model: 'Event', modelId: e.id, title: e.info });
        return e;
      });
      await publishAll(deps.bus, [{ topic: 'misp_json_event', payload: { Event: { id: String(event.id), uuid: event.uuid }, action: 'delete' } }]);
      return event;
    },

    /** Publishes or unpublishes an event. */
    async setPublished(p: Principal, ref: Ref, published: boolean): Promise<EventRecord> {
      // MISP's ACL refuses publishing to roles without perm_publish before it looks at the event.
      if (published) requirePermission(p, 'perm_publish', 'publish events');
      const outgoing: Outgoing[] = [];
      const event = await store.write(async (repos) => {
        const e = await visibleEvent(repos, p, ref);
        requireModifyEvent(p, e);
        const now = clock.now();
        const updated = await repos.updateEvent(e.id, published ? { published: true, publish_timestamp: now } : { published: false });
        await audit(repos, p, now, { action: published ? 'publish' : 'unpublish', model: 'Event', modelId: e.id, title: e.info });
        if (published) outgoing.push({ topic: 'misp_json', payload: { Event: await fullJson(repos, p, e.id), action: 'publish' } });
        return updated;
      });
      await publishAll(deps.bus, outgoing);
      return event;
    },

    /**
     * MISP's pushEventToZMQ: the event as the caller sees it, published again on `misp_json`, the topic
     * MISP's ZeroMQ feed carries whole events on (PubSubTool::publishEvent). Nothing stored changes.
     */
    async republish(p: Principal, ref: Ref): Promise<EventRecord> {
      requirePermission(p, 'perm_publish_zmq', 'push events to the event stream');
      const { event, json } = await store.read(async (repos) => {
        const e = await visibleEvent(repos, p, ref);
        return { event: e, json: await fullJson(repos, p, e.id) };
      });
      try {
        await deps.bus.publish('misp_json', { Event: json, action: 'publish' });
      } catch (error) {
        // Asked for explicitly, so a failure is reported rather than swallowed as after a write.
        throw new UnavailableError('The event stream is unavailable; the event was not pushed.', error);
      }
      return event;
    },

    /** events/index rows: flat events with Org, Orgc and EventTag. */
    async index(p: Principal, filters: EventIndexFilters): Promise<MispJson[]> {
      return store.read(async (repos) => {
        const events = await repos.listEvents(filters, p.viewer);
        const tags = groupByTarget(await repos.listEventTags(events.map((e) => e.id)));
        const orgs = new Map<number, OrganisationRecord>();
        for (const id of new Set(events.flatMap((e) => [e.org_id, e.orgc_id]))) {
          const org = await repos.getOrganisation(id);
          if (org !== undefined) orgs.set(id, org);
        }
        return events.map((e) => ({
          ...eventHeadJson(e),
          sighting_timestamp: String(e.sighting_timestamp),
          Org: orgSummaryJson(orgs.get(e.org_id), e.org_id),
          Orgc: orgSummaryJson(orgs.get(e.orgc_id), e.orgc_id),
          EventTag: (tags.get(e.id) ?? []).map((t) => ({ event_id: String(e.id), tag_id: String(t.tag.id), local: t.local, Tag: tagJson(t.tag) })),
        }));
      });
    },

    /** How many events the index finds for these filters before `limit` and `page` (MISP's X-Result-Count). */
    async indexTotal(p: Principal, filters: EventIndexFilters): Promise<number> {
      return store.read((repos) => repos.countEvents(filters, p.viewer));
    },

    /** restSearch on events: full views of matching events, produced one at a time. */
    async *search(p: Principal, filters: SearchFilters, opts: ViewOptions = {}): AsyncIterable<MispJson> {
      // MISP: wanted tags match the event's own tags or its attributes'; refused ones drop the event only
      // for its own tags, and drop the attributes carrying them from what is shown.
      const events = await store.read((repos) => repos.listEvents({ ...filters, tagsOnAttributes: true, sort: 'id', direction: 'asc' }, p.viewer));
      const inForce = await limits();
      const content: SearchContentFilter = { blockedTags: filters.tags?.not ?? [], toIdsOnly: filters.toIds === true, deletedOnly: filters.deleted === true };
      for (const e of events) {
        yield searchEventContent(await store.read((repos) => buildEventView(repos, e, p.viewer, { ...opts, ...inForce })), content);
      }
    },
  };
}

/** The event service's type. */
export type EventService = ReturnType<typeof createEventService>;
