import { canSeeSighting } from '../access/sighting-policy.js';
import { canSeeElement } from '../access/visibility.js';
import type { AttributeRecord, EventRecord, EventReportRecord, ObjectRecord, OrganisationRecord } from '../model/records.js';
import type { Viewer } from '../ports/queries.js';
import type { AttachedTag, Repositories } from '../ports/store.js';
import { attachmentDataOf } from './attribute-data.js';
import { canSeeProposal, proposalJson } from './proposal-json.js';
import { eventReportJson } from './event-report-json.js';
import { eventAnalystData, type AnalystDataOf } from './event-analyst-data.js';
import { attributeJson, eventHeadJson, groupTags, objectJson, orgSummaryJson, referenceJson, sightingJson, tagJson, type MispJson } from './misp-json.js';

/** What to put into an event view. */
export interface EventViewOptions {
  readonly includeDeleted?: boolean;
  readonly includeCorrelations?: boolean;
  readonly includeSightings?: boolean;
  /** Event head, tags and orgs only (restSearch `metadata`). */
  readonly metadata?: boolean;
  readonly correlationCap: number;
  /** MISP's `max_correlations_per_event`: at most this many `RelatedAttribute` entries in the whole event (all when left out). */
  readonly maxCorrelations?: number;
  /** MISP 2.5's `includeAnalystData`: notes, opinions and relationships on the event and its elements. */
  readonly includeAnalystData?: boolean;
  /**
   * Every attribute and object of the event, when the caller has just written
   * them all (a new event): saves reading them back. With `reports`, the event is
   * new and these are all its reports: it has no proposals yet, and neither is read.
   * With `eventTags` and `attributeTags`, these are all the tags on the event and its
   * attributes (as the store lists them: in the order attached); `orgs` may hold the
   * event's organisations. What is given is not read again.
   */
  readonly written?: {
    readonly attributes: readonly AttributeRecord[];
    readonly objects: readonly ObjectRecord[];
    readonly reports?: readonly EventReportRecord[];
    readonly eventTags?: readonly AttachedTag[];
    readonly attributeTags?: readonly AttachedTag[];
    readonly orgs?: readonly OrganisationRecord[];
  };
}

/** The organisations with these ids, loaded once each. */
export async function orgMap(repos: Repositories, ids: readonly number[], known: readonly OrganisationRecord[] = []): Promise<Map<number, OrganisationRecord>> {
  const out = new Map<number, OrganisationRecord>();
  for (const id of new Set(ids)) {
    const org = known.find((o) => o.id === id) ?? (await repos.getOrganisation(id));
    if (org !== undefined) out.set(id, org);
  }
  return out;
}

/** Summary of another event, as MISP lists it under `RelatedEvent`. */
export function relatedEventJson(e: EventRecord, orgs: Map<number, OrganisationRecord>): MispJson {
  return {
    Event: {
      id: String(e.id),
      date: e.date,
      threat_level_id: String(e.threat_level_id),
      info: e.info,
      published: e.published,
      uuid: e.uuid,
      analysis: String(e.analysis),
      timestamp: String(e.timestamp),
      distribution: String(e.distribution),
      org_id: String(e.org_id),
      orgc_id: String(e.orgc_id),
      Org: orgSummaryJson(orgs.get(e.org_id), e.org_id),
      Orgc: orgSummaryJson(orgs.get(e.orgc_id), e.orgc_id),
    },
  };
}

/**
 * Assembles the MISP JSON of a visible event (`{"Event": …}` body without the
 * wrapper): head, orgs, tags, attributes and objects the viewer may see, and
 * optionally related events and sightings.
 */
export async function buildEventView(repos: Repositories, event: EventRecord, viewer: Viewer, opts: EventViewOptions): Promise<MispJson> {
  const includeDeleted = opts.includeDeleted ?? false;
  const eventTags = opts.written?.eventTags ?? (await repos.listEventTags([event.id]));
  const orgs = await orgMap(repos, [event.org_id, event.orgc_id], opts.written?.orgs);
  const head: MispJson = {
    ...eventHeadJson(event, { creatorEmail: viewer.siteAdmin || viewer.orgId === event.orgc_id }),
    Org: orgSummaryJson(orgs.get(event.org_id), event.org_id),
    Orgc: orgSummaryJson(orgs.get(event.orgc_id), event.orgc_id),
    Tag: eventTags.map((t) => tagJson(t.tag, t.local)),
  };
  if (opts.metadata === true) return head;

  const visible = (x: { distribution: number; sharing_group_id: number }): boolean => canSeeElement(viewer, x, event);
  const live = <T extends { deleted: boolean }>(list: readonly T[]): T[] => list.filter((x) => includeDeleted || !x.deleted);
  const objects = (opts.written !== undefined ? live(opts.written.objects) : await repos.listObjectsOfEvents([event.id], { includeDeleted })).filter(visible);
  const objectIds = new Set(objects.map((o) => o.id));
  const attributes = (opts.written !== undefined ? live(opts.written.attributes).sort((a, b) => a.id - b.id) : await repos.listAttributesOfEvents([event.id], { includeDeleted })).filter(
    (a) => visible(a) && (a.object_id === 0 || objectIds.has(a.object_id)),
  );
  const attrIds = attributes.map((a) => a.id);
  const attrTags = groupTags(opts.written?.attributeTags ?? (await repos.listAttributeTags(attrIds)));
  const contents = await attachmentDataOf(repos, attributes);
  // MISP's sighting policy applies inside the event too (Sighting::attachToEvent): its reporter and the event's owner.
  const sightings = opts.includeSightings === true ? (await repos.listSightings({ eventIds: [event.id] })).filter((s) => canSeeSighting(viewer, s, event)) : [];
  const sightingsByAttr = new Map<number, MispJson[]>();
  // Each sighting names its organisation (by UUID), so a sync can keep who reported it.
  const sightingOrgs = sightings.length === 0 ? new Map<number, OrganisationRecord>() : await orgMap(repos, sightings.map((s) => s.org_id));
  for (const s of sightings) sightingsByAttr.set(s.attribute_id, [...(sightingsByAttr.get(s.attribute_id) ?? []), sightingJson(s, sightingOrgs.get(s.org_id))]);

  // Proposals (one query): the owner organisation and site admins see all, the proposer's organisation its own.
  const created = opts.written?.reports;
  const proposals = (created !== undefined ? [] : await repos.listShadowAttributes({ eventIds: [event.id] })).filter((s) => canSeeProposal(viewer, s, event));
  const proposalsByAttr = new Map<number, MispJson[]>();
  for (const s of proposals) proposalsByAttr.set(s.old_id, [...(proposalsByAttr.get(s.old_id) ?? []), proposalJson(s)]);

  // Reports (one query), each under its own distribution like attributes and objects.
  const reportRecords = (created !== undefined ? live(created) : await repos.listEventReports({ eventIds: [event.id], includeDeleted })).filter(visible);
  // Analyst data only when asked (one query per nesting level): MISP 2.5 leaves it out by default.
  const analyst: AnalystDataOf = opts.includeAnalystData === true
    ? await eventAnalystData(repos, viewer, [event.uuid, ...attributes.map((a) => a.uuid), ...objects.map((o) => o.uuid), ...reportRecords.map((r) => r.uuid)])
    : () => ({});
  const reports = reportRecords.map((r) => ({ ...eventReportJson(r), ...analyst(r.uuid) }));

  const related = new Map<number, MispJson[]>();
  let relatedEvents: MispJson[] = [];
  if (opts.includeCorrelations !== false) {
    const events = await repos.relatedEvents(event.id, viewer, opts.correlationCap);
    const relOrgs = await orgMap(repos, events.flatMap((e) => [e.org_id, e.orgc_id]));
    relatedEvents = events.map((e) => relatedEventJson(e, relOrgs));
    const correlations = await repos.attributeCorrelations(attrIds, viewer, opts.correlationCap);
    for (const c of opts.maxCorrelations === undefined ? correlations : correlations.slice(0, opts.maxCorrelations)) {
      const list = related.get(c.attribute_id) ?? [];
      list.push({ id: String(c.other_attribute_id), event_id: String(c.other_event_id), org_id: String(c.other_event.org_id), info: c.other_event.info, value: c.value });
      related.set(c.attribute_id, list);
    }
  }

  const toJson = (a: AttributeRecord): MispJson => {
    const extra: MispJson = { Tag: attrTags.get(a.id) ?? [] };
    if (opts.includeSightings === true) extra.Sighting = sightingsByAttr.get(a.id) ?? [];
    extra.ShadowAttribute = proposalsByAttr.get(a.id) ?? [];
    const rel = related.get(a.id);
    if (rel !== undefined) extra.RelatedAttribute = rel;
    const data = contents.get(a.id);
    if (data !== undefined) extra.data = data;
    return attributeJson(a, { ...extra, ...analyst(a.uuid) });
  };
  const byObject = new Map<number, MispJson[]>();
  const loose: MispJson[] = [];
  for (const a of attributes) {
    if (a.object_id === 0) loose.push(toJson(a));
    else byObject.set(a.object_id, [...(byObject.get(a.object_id) ?? []), toJson(a)]);
  }
  const refs = await repos.listReferencesOfObjects([...objectIds]);
  const refsByObject = new Map<number, MispJson[]>();
  for (const r of refs) {
    if (!includeDeleted && r.deleted) continue;
    refsByObject.set(r.object_id, [...(refsByObject.get(r.object_id) ?? []), referenceJson(r)]);
  }
  return {
    ...head,
    Attribute: loose,
    Object: objects.map((o) => ({ ...objectJson(o, byObject.get(o.id) ?? [], refsByObject.get(o.id) ?? []), ...analyst(o.uuid) })),
    ShadowAttribute: proposalsByAttr.get(0) ?? [],
    RelatedEvent: relatedEvents,
    Galaxy: [],
    EventReport: reports,
    ...analyst(event.uuid),
  };
}
