import type {
  AnalystDataRecord,
  AnalystKind,
  AttributeRecord,
  AuditLogRecord,
  AuthKeyRecord,
  EventRecord,
  EventReportRecord,
  CorrelationExclusionRecord,
  ObjectRecord,
  ObjectReferenceRecord,
  OrganisationRecord,
  RoleRecord,
  ServerRecord,
  SharingGroupOrgRecord,
  SharingGroupRecord,
  SharingGroupServerRecord,
  SightingRecord,
  GalaxyClusterRecord,
  GalaxyElementRecord,
  GalaxyClusterRelationRecord,
  TagRecord,
  UserRecord,
} from '../model/records.js';
import type { EventIndexFilters, SearchFilters, Viewer } from './queries.js';

/** A record about to be inserted: the store assigns the id. */
export type New<R extends { id: number }> = Omit<R, 'id'>;
/** A partial update of a record. */
export type Patch<R extends { id: number }> = Partial<Omit<R, 'id'>>;
/** An integer id, or a UUID (or, for organisations and tags, a name). */
export type Ref = number | string;

/** A tag attached to an event or attribute. */
export interface AttachedTag {
  readonly target_id: number;
  readonly local: boolean;
  readonly tag: TagRecord;
}

/** Another event that shares a value with the one looked at. */
export interface RelatedEventRow {
  readonly event: EventRecord;
}

/** One correlation of an attribute with an attribute of another event. */
export interface AttributeCorrelation {
  readonly attribute_id: number;
  readonly other_attribute_id: number;
  readonly other_event_id: number;
  readonly other_event: EventRecord;
  readonly value: string;
}

export interface OrganisationRepository {
  insertOrganisation(org: New<OrganisationRecord>): Promise<OrganisationRecord>;
  getOrganisation(ref: Ref): Promise<OrganisationRecord | undefined>;
  listOrganisations(filter?: { local?: boolean }): Promise<OrganisationRecord[]>;
  updateOrganisation(id: number, patch: Patch<OrganisationRecord>): Promise<OrganisationRecord>;
  deleteOrganisation(id: number): Promise<void>;
  countOrganisationUsage(id: number): Promise<number>;
  /** Whether events created by this organisation (UUID) are refused: MISP's OrgBlocklist::isBlocked. */
  isOrganisationBlocklisted(uuid: string): Promise<boolean>;
}

export interface UserRepository {
  insertRole(role: New<RoleRecord>): Promise<RoleRecord>;
  getRole(id: number): Promise<RoleRecord | undefined>;
  listRoles(): Promise<RoleRecord[]>;
  updateRole(id: number, patch: Patch<RoleRecord>): Promise<RoleRecord>;
  deleteRole(id: number): Promise<void>;
  insertUser(user: New<UserRecord>): Promise<UserRecord>;
  getUser(ref: Ref): Promise<UserRecord | undefined>;
  listUsers(filter?: { orgId?: number }): Promise<UserRecord[]>;
  updateUser(id: number, patch: Patch<UserRecord>): Promise<UserRecord>;
  deleteUser(id: number): Promise<void>;
  insertAuthKey(key: New<AuthKeyRecord>): Promise<AuthKeyRecord>;
  /** Candidates for a raw key: same first and last four characters. */
  findAuthKeys(start: string, end: string): Promise<AuthKeyRecord[]>;
  getAuthKey(ref: Ref): Promise<AuthKeyRecord | undefined>;
  listAuthKeys(filter?: { userId?: number; orgId?: number }): Promise<AuthKeyRecord[]>;
  deleteAuthKey(id: number): Promise<void>;
}

export interface SharingGroupRepository {
  insertSharingGroup(sg: New<SharingGroupRecord>): Promise<SharingGroupRecord>;
  getSharingGroup(ref: Ref): Promise<SharingGroupRecord | undefined>;
  listSharingGroups(): Promise<SharingGroupRecord[]>;
  updateSharingGroup(id: number, patch: Patch<SharingGroupRecord>): Promise<SharingGroupRecord>;
  deleteSharingGroup(id: number): Promise<void>;
  upsertSharingGroupOrg(sgId: number, orgId: number, extend: boolean): Promise<void>;
  removeSharingGroupOrg(sgId: number, orgId: number): Promise<boolean>;
  upsertSharingGroupServer(sgId: number, serverId: number, allOrgs: boolean): Promise<void>;
  removeSharingGroupServer(sgId: number, serverId: number): Promise<boolean>;
  listSharingGroupOrgs(sgIds: readonly number[]): Promise<SharingGroupOrgRecord[]>;
  listSharingGroupServers(sgIds: readonly number[]): Promise<SharingGroupServerRecord[]>;
  /** Sharing groups an organisation may see: member, creator, or open to every local org. */
  sharingGroupIdsForOrg(orgId: number): Promise<number[]>;
  insertServer(server: New<ServerRecord>): Promise<ServerRecord>;
  getServer(id: number): Promise<ServerRecord | undefined>;
  listServers(): Promise<ServerRecord[]>;
  updateServer(id: number, patch: Patch<ServerRecord>): Promise<ServerRecord>;
  deleteServer(id: number): Promise<void>;
}

export interface EventRepository {
  insertEvent(event: New<EventRecord>): Promise<EventRecord>;
  getEvent(ref: Ref): Promise<EventRecord | undefined>;
  updateEvent(id: number, patch: Patch<EventRecord>): Promise<EventRecord>;
  /** Removes the event and everything that belongs to it. */
  deleteEvent(id: number): Promise<void>;
  /** Events the viewer may see, matching the filters (newest first by default). */
  listEvents(filters: EventIndexFilters, viewer: Viewer): Promise<EventRecord[]>;
  /** How many events {@link listEvents} finds for the filters, leaving `limit` and `page` aside. */
  countEvents(filters: EventIndexFilters, viewer: Viewer): Promise<number>;
  /** Ids of events that have at least one visible attribute matching the filters. */
  eventIdsMatching(filters: SearchFilters, viewer: Viewer): Promise<number[]>;
  recountAttributes(eventId: number): Promise<number>;
  /** Event-level tags of the events the viewer may see, with how many events carry each (MISP's tagStatistics). */
  countEventTags(viewer: Viewer): Promise<{ name: string; count: number }[]>;
  /** Whether this event UUID may never be created here again: MISP's EventBlocklist::isBlocked. */
  isEventBlocklisted(uuid: string): Promise<boolean>;
}

export interface AttributeRepository {
  insertAttributes(attributes: readonly New<AttributeRecord>[]): Promise<AttributeRecord[]>;
  getAttribute(ref: Ref): Promise<AttributeRecord | undefined>;
  updateAttribute(id: number, patch: Patch<AttributeRecord>): Promise<AttributeRecord>;
  deleteAttribute(id: number): Promise<void>;
  listAttributesOfEvents(eventIds: readonly number[], options: { includeDeleted: boolean }): Promise<AttributeRecord[]>;
  /** Streams attributes the viewer may see, in id order (or `filters.attributeOrder`), in pages of `batchSize`. */
  searchAttributes(filters: SearchFilters, viewer: Viewer, batchSize?: number): AsyncIterable<AttributeRecord[]>;
  countAttributes(filters: SearchFilters, viewer: Viewer): Promise<number>;
  /** Live attributes the viewer may see, counted per type or per category (MISP's attributeStatistics). */
  countAttributesBy(column: 'type' | 'category', viewer: Viewer): Promise<Record<string, number>>;
  insertObject(object: New<ObjectRecord>): Promise<ObjectRecord>;
  getObject(ref: Ref): Promise<ObjectRecord | undefined>;
  updateObject(id: number, patch: Patch<ObjectRecord>): Promise<ObjectRecord>;
  deleteObject(id: number): Promise<void>;
  listObjectsOfEvents(eventIds: readonly number[], options: { includeDeleted: boolean }): Promise<ObjectRecord[]>;
  searchObjects(filters: SearchFilters, viewer: Viewer): Promise<ObjectRecord[]>;
  insertReference(reference: New<ObjectReferenceRecord>): Promise<ObjectReferenceRecord>;
  getReference(ref: Ref): Promise<ObjectReferenceRecord | undefined>;
  updateReference(id: number, patch: Patch<ObjectReferenceRecord>): Promise<ObjectReferenceRecord>;
  deleteReference(id: number): Promise<void>;
  listReferencesOfObjects(objectIds: readonly number[]): Promise<ObjectReferenceRecord[]>;
}

/** The content (MISP `data`, base64) of one attachment attribute. */
export interface AttributeDataRow {
  readonly attribute_id: number;
  readonly data: string;
}

/** Attachment content, kept apart from the attributes themselves. */
export interface AttributeDataRepository {
  /** Stores the content of these attributes, replacing what they had. */
  putAttributeData(rows: readonly AttributeDataRow[]): Promise<void>;
  /** The stored content of those of these attributes that have some, by attribute id. */
  listAttributeData(attributeIds: readonly number[]): Promise<Map<number, string>>;
  deleteAttributeData(attributeIds: readonly number[]): Promise<void>;
}

export interface TagRepository {
  insertTag(tag: New<TagRecord>): Promise<TagRecord>;
  getTag(ref: Ref): Promise<TagRecord | undefined>;
  listTags(filter?: { search?: string }): Promise<TagRecord[]>;
  updateTag(id: number, patch: Patch<TagRecord>): Promise<TagRecord>;
  deleteTag(id: number): Promise<void>;
  attachEventTag(eventId: number, tagId: number, local: boolean): Promise<boolean>;
  detachEventTag(eventId: number, tagId: number): Promise<boolean>;
  attachAttributeTag(attributeId: number, eventId: number, tagId: number, local: boolean): Promise<boolean>;
  detachAttributeTag(attributeId: number, tagId: number): Promise<boolean>;
  listEventTags(eventIds: readonly number[]): Promise<AttachedTag[]>;
  listAttributeTags(attributeIds: readonly number[]): Promise<AttachedTag[]>;
  /** Attaches many tags to events at once; a tag already on the event (or earlier in the list) is skipped. */
  attachEventTags(rows: readonly { event_id: number; tag_id: number; local: boolean }[]): Promise<void>;
  /** Attaches many tags to many attributes at once (bulk ingest). */
  attachAttributeTags(rows: readonly { attribute_id: number; event_id: number; tag_id: number; local: boolean }[]): Promise<void>;
}

/** Which sightings to list; every given field narrows the list. */
export interface SightingFilter {
  readonly attributeIds?: readonly number[];
  readonly eventIds?: readonly number[];
  readonly orgId?: number;
  /** Reporting organisations to keep (`include`) or leave out (`exclude`). */
  readonly orgIds?: { readonly include?: readonly number[]; readonly exclude?: readonly number[] };
  readonly types?: readonly number[];
  readonly sources?: readonly string[];
  readonly uuids?: readonly string[];
  /** `date_sighting` at or after / at or before (Unix seconds). */
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

export interface SightingRepository {
  /**
   * Inserts a sighting and moves its event's `sighting_timestamp` forward to
   * `recordedAt` (default: the sighting's date) when that is later: the sighting
   * sync reads it as "this event's sightings changed then".
   */
  insertSighting(sighting: New<SightingRecord>, recordedAt?: number): Promise<SightingRecord>;
  listSightings(filter: SightingFilter): Promise<SightingRecord[]>;
  deleteSighting(id: number): Promise<void>;
  getSighting(ref: Ref): Promise<SightingRecord | undefined>;
}

/** Which custom galaxy clusters to list (visibility is applied by the core). */
export interface GalaxyClusterFilter {
  readonly type?: string;
  readonly uuids?: readonly string[];
  readonly tagNames?: readonly string[];
  /** `timestamp` at or after (Unix seconds). */
  readonly timestampFrom?: number;
  readonly published?: boolean;
  readonly includeDeleted?: boolean;
  readonly orgId?: number;
  /** Case-insensitive substring of the value or description. */
  readonly search?: string;
  readonly limit?: number;
}

export interface GalaxyClusterRepository {
  insertGalaxyCluster(cluster: New<GalaxyClusterRecord>): Promise<GalaxyClusterRecord>;
  updateGalaxyCluster(id: number, patch: Patch<GalaxyClusterRecord>): Promise<GalaxyClusterRecord>;
  /** By id or UUID. */
  getGalaxyCluster(ref: Ref): Promise<GalaxyClusterRecord | undefined>;
  listGalaxyClusters(filter: GalaxyClusterFilter): Promise<GalaxyClusterRecord[]>;
  /** Replaces a cluster's elements (MISP edits them as a whole). */
  replaceGalaxyElements(clusterId: number, elements: readonly { key: string; value: string }[]): Promise<void>;
  listGalaxyElements(clusterIds: readonly number[]): Promise<GalaxyElementRecord[]>;
  replaceGalaxyClusterRelations(clusterId: number, relations: readonly Omit<GalaxyClusterRelationRecord, 'id' | 'galaxy_cluster_id'>[]): Promise<void>;
  listGalaxyClusterRelations(clusterIds: readonly number[]): Promise<GalaxyClusterRelationRecord[]>;
  /** Removes a cluster with its elements and relations (MISP's hard delete). */
  deleteGalaxyCluster(id: number): Promise<void>;
}

export interface CorrelationRepository {
  /**
   * Indexes the address ranges of IP attributes (every one, also deleted or not correlating:
   * CIDR search finds them all; correlation applies its rules when it reads).
   */
  addIpRanges(attributes: readonly AttributeRecord[]): Promise<void>;
  removeIpRanges(attributeIds: readonly number[]): Promise<void>;
  /** Events sharing a correlatable value with `eventId`, visible to the viewer. */
  relatedEvents(eventId: number, viewer: Viewer, cap: number): Promise<EventRecord[]>;
  /** Per attribute, the attributes of other visible events it correlates with. */
  attributeCorrelations(attributeIds: readonly number[], viewer: Viewer, cap: number): Promise<AttributeCorrelation[]>;
}

/** A proposal (MISP shadow attribute): a new attribute (`old_id` 0), a change to attribute `old_id`, or its deletion. */
export interface ShadowAttributeRecord {
  id: number;
  uuid: string;
  old_id: number;
  event_id: number;
  event_uuid: string;
  /** The proposer's organisation. */
  org_id: number;
  email: string;
  type: string;
  category: string;
  value1: string;
  value2: string;
  to_ids: boolean;
  comment: string;
  first_seen: string | null;
  last_seen: string | null;
  timestamp: number;
  deleted: boolean;
  proposal_to_delete: boolean;
  disable_correlation: boolean;
  object_id: number;
  object_relation: string | null;
}

export interface ShadowAttributeRepository {
  insertShadowAttribute(proposal: New<ShadowAttributeRecord>): Promise<ShadowAttributeRecord>;
  getShadowAttribute(ref: Ref): Promise<ShadowAttributeRecord | undefined>;
  /** Live proposals, in id order, of the given events and/or on the given attributes. */
  listShadowAttributes(filter: { readonly eventIds?: readonly number[]; readonly oldIds?: readonly number[] }): Promise<ShadowAttributeRecord[]>;
  deleteShadowAttribute(id: number): Promise<void>;
}

/** MISP's event delegation: a request that another organisation take over an event (org and orgc). */
export interface EventDelegationRecord {
  id: number;
  /** The organisation asked to take the event over. */
  org_id: number;
  requester_org_id: number;
  event_id: number;
  message: string;
  /** The distribution the event gets on accept; -1: the recipient decides (the event keeps its own). */
  distribution: number;
  /** The sharing group the event gets on accept when `distribution` is 4; 0 otherwise. */
  sharing_group_id: number;
}

export interface EventDelegationRepository {
  /** Stores a request; a second pending request for the same event is a conflict. */
  insertEventDelegation(delegation: New<EventDelegationRecord>): Promise<EventDelegationRecord>;
  getEventDelegation(id: number): Promise<EventDelegationRecord | undefined>;
  /** Requests in id order, to this organisation, from this organisation and/or on this event. */
  listEventDelegations(filter: { readonly orgId?: number; readonly requesterOrgId?: number; readonly eventId?: number }): Promise<EventDelegationRecord[]>;
  /** Removes a request; whether it was still there. */
  deleteEventDelegation(id: number): Promise<boolean>;
}

export interface EventReportRepository {
  insertEventReport(report: New<EventReportRecord>): Promise<EventReportRecord>;
  getEventReport(ref: Ref): Promise<EventReportRecord | undefined>;
  /** The reports of these events (all events when left out), in id order; deleted ones only when asked. */
  listEventReports(filter: { readonly eventIds?: readonly number[]; readonly includeDeleted?: boolean }): Promise<EventReportRecord[]>;
  updateEventReport(id: number, patch: Patch<EventReportRecord>): Promise<EventReportRecord>;
  deleteEventReport(id: number): Promise<void>;
}

export interface AnalystDataRepository {
  insertAnalystData(record: New<AnalystDataRecord>): Promise<AnalystDataRecord>;
  /** By id or UUID (of any kind; the caller checks the kind). */
  getAnalystData(ref: Ref): Promise<AnalystDataRecord | undefined>;
  /** Analyst data in id order: of one kind, attached to these UUIDs, with these UUIDs (all when left out). */
  listAnalystData(filter: { readonly kind?: AnalystKind; readonly objectUuids?: readonly string[]; readonly uuids?: readonly string[] }): Promise<AnalystDataRecord[]>;
  updateAnalystData(id: number, patch: Patch<AnalystDataRecord>): Promise<AnalystDataRecord>;
  deleteAnalystData(ids: readonly number[]): Promise<void>;
}

export interface CorrelationExclusionRepository {
  insertCorrelationExclusion(exclusion: New<CorrelationExclusionRecord>): Promise<CorrelationExclusionRecord>;
  getCorrelationExclusion(ref: Ref): Promise<CorrelationExclusionRecord | undefined>;
  /** Every exclusion, in id order. */
  listCorrelationExclusions(): Promise<CorrelationExclusionRecord[]>;
  deleteCorrelationExclusion(id: number): Promise<void>;
}

/** A server setting changed through the API (MISP's `system_settings`): the value as JSON. */
export interface SystemSettingRecord {
  id: number;
  setting: string;
  value: string;
}

export interface SystemSettingRepository {
  /** Every stored setting, in name order. */
  listSystemSettings(): Promise<SystemSettingRecord[]>;
  /** Stores a setting's value, replacing the one it had. */
  putSystemSetting(setting: string, value: string): Promise<void>;
}

/** A user's setting (MISP's `user_settings`): `value` is the JSON text MISP stores. */
export interface UserSettingRecord {
  id: number;
  user_id: number;
  setting: string;
  value: string;
  timestamp: number;
}

export interface UserSettingRepository {
  /** Settings in id order, of the given users (all when absent) and name. */
  listUserSettings(filter?: { readonly userIds?: readonly number[]; readonly setting?: string }): Promise<UserSettingRecord[]>;
  getUserSetting(id: number): Promise<UserSettingRecord | undefined>;
  /** Creates the user's setting or replaces its value and timestamp. */
  putUserSetting(userId: number, setting: string, value: string, timestamp: number): Promise<UserSettingRecord>;
  deleteUserSetting(id: number): Promise<void>;
}

/** A text filter of the audit log: exact, or a `%` pattern (case-insensitive). */
export type AuditText = string;

/** What an audit search filters on: every filter given must match; list entries are alternatives. */
export interface AuditFilter {
  readonly ids?: readonly number[];
  readonly model?: string;
  readonly models?: readonly string[];
  readonly modelId?: number;
  readonly modelIds?: readonly number[];
  readonly actions?: readonly string[];
  readonly userIds?: readonly number[];
  readonly orgIds?: readonly number[];
  readonly createdFrom?: number;
  readonly createdTo?: number;
  /** Matched against the entry's title (`model_title`). */
  readonly titles?: readonly AuditText[];
  readonly changes?: readonly AuditText[];
  readonly ips?: readonly AuditText[];
  readonly limit?: number;
  readonly offset?: number;
}

/** An audit entry as written: the store links it into the hash chain. */
export type AuditEntryInput = Omit<New<AuditLogRecord>, 'seq' | 'prev_hash' | 'hash'>;

/** The end of the audit hash chain: how many entries and the last one's hash. */
export interface AuditChainHead {
  readonly size: number;
  readonly hash: string;
}

export interface AuditRepository {
  /** Appends an entry to the log and its hash chain (in the caller's transaction, which it serialises with other writers). */
  insertAudit(entry: AuditEntryInput): Promise<void>;
  auditChainHead(): Promise<AuditChainHead>;
  /** Entries in chain order from `fromSeq` (1-based), at most `limit`. */
  listAuditChain(fromSeq: number, limit: number): Promise<AuditLogRecord[]>;
  /** Entries newest first. */
  listAudit(filter: AuditFilter): Promise<AuditLogRecord[]>;
  /** The history of an event: entries on the event and on its attributes, objects, proposals and reports, newest first. */
  listEventHistory(eventId: number, page: { readonly limit?: number; readonly offset?: number }): Promise<AuditLogRecord[]>;
}

/** A sighting as source reputation reads it. */
export interface SightingEvidenceRow {
  /** The creator organisation of the attribute's event: whose information is judged. */
  readonly source: number;
  /** The owner organisation of the event (the sighting policy looks at it). */
  readonly eventOrg: number;
  readonly reporter: number;
  readonly attributeId: number;
  /** 0 seen, 1 false positive. */
  readonly type: number;
  /** When it was seen (Unix seconds). */
  readonly at: number;
}

/** What source reputation reads: evidence on information the viewer may see. */
export interface ReputationRepository {
  /** Sightings (seen or false positive) by other organisations than the creator, on live attributes the viewer may see; of one creator organisation's events with `source`. */
  sightingEvidence(viewer: Viewer, source?: number): Promise<SightingEvidenceRow[]>;
  /**
   * Opinions on attributes and events the viewer may see, with the creator organisation of the
   * element's event (of `source`'s events only, with `source`). The opinion's own distribution is
   * the caller's to check.
   */
  opinionSources(viewer: Viewer, source?: number): Promise<{ readonly uuid: string; readonly source: number }[]>;
  /** Creator organisations of the events the viewer may see (or just `source`), with how many events and attributes. */
  sourceActivity(viewer: Viewer, source?: number): Promise<{ readonly source: number; readonly events: number; readonly attributes: number }[]>;
}

/** Everything one unit of work can do. */
export interface Repositories
  extends OrganisationRepository,
    UserRepository,
    SharingGroupRepository,
    EventRepository,
    AttributeRepository,
    AttributeDataRepository,
    TagRepository,
    SightingRepository,
    ShadowAttributeRepository,
    EventDelegationRepository,
    EventReportRepository,
    CorrelationExclusionRepository,
    SystemSettingRepository,
    UserSettingRepository,
    AnalystDataRepository,
    GalaxyClusterRepository,
    CorrelationRepository,
    ReputationRepository,
    AuditRepository {}

/**
 * The storage port. `write` runs its function in one transaction: if it throws,
 * nothing it wrote remains. `read` runs without a transaction.
 */
export interface Store {
  readonly engine: string;
  read<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  write<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
