/**
 * Who is asking. Every read path takes a viewer and shows only what MISP's
 * distribution and sharing-group rules let that viewer see.
 */
export interface Viewer {
  readonly userId: number;
  readonly orgId: number;
  readonly siteAdmin: boolean;
  /** Sharing groups the viewer's organisation may see (member, creator, or open to all local orgs). */
  readonly sharingGroupIds: readonly number[];
  /**
   * Organisations whose events this viewer does not see, whatever their distribution: producers
   * that govern reads of their events through UMA (ADR 0013, mode `uma`), for a key of another
   * organisation. Absent or empty: MISP's rules alone.
   */
  readonly hiddenCreatorOrgIds?: readonly number[];
}

/** A tag filter: tags that must all be present, any of, or none of. Names may use `%` wildcards. */
export interface TagFilter {
  readonly and: readonly string[];
  readonly or: readonly string[];
  readonly not: readonly string[];
}

/** A value filter with MISP semantics: `%` is a wildcard, a leading `!` negates. */
export interface ValueFilter {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Filters shared by attribute and event searches (MISP restSearch). */
export interface SearchFilters {
  readonly value?: ValueFilter;
  readonly type?: ValueFilter;
  readonly category?: ValueFilter;
  readonly org?: ValueFilter;
  readonly tags?: TagFilter;
  /**
   * Events only (MISP's `Attribute::set_filter_tags` in the Event scope, used by events/restSearch): a
   * wanted tag (`and`, `or`) also matches when it is on one of the event's attributes; `not` stays on the
   * event's own tags. Without it, event filters read the event's own tags alone (events/index).
   */
  readonly tagsOnAttributes?: boolean;
  readonly eventIds?: readonly number[];
  readonly excludeEventIds?: readonly number[];
  /** Events by UUID (MISP's `eventid` takes UUIDs too); with `eventIds`, an event matching either. */
  readonly eventUuids?: readonly string[];
  readonly excludeEventUuids?: readonly string[];
  readonly uuids?: readonly string[];
  readonly objectNames?: readonly string[];
  readonly eventInfo?: string;
  /** MISP's `event_tags`: like `tags`, but only the event's own tags count. */
  readonly eventTags?: TagFilter;
  /** Single-column attribute filters (MISP's `object_relation`, `comment`, `value1`, `value2`). */
  readonly objectRelation?: ValueFilter;
  readonly comment?: ValueFilter;
  readonly value1?: ValueFilter;
  readonly value2?: ValueFilter;
  /**
   * MISP's `searchall` (`all` in events/index): matches the event info, event and attribute
   * tags, attribute values and attribute comments; `%` for substrings.
   */
  readonly searchAll?: string;
  /** Event date range, `YYYY-MM-DD`. */
  readonly dateFrom?: string;
  readonly dateTo?: string;
  /** Attribute (or event) timestamp range, Unix seconds. */
  readonly timestampFrom?: number;
  readonly timestampTo?: number;
  readonly eventTimestampFrom?: number;
  readonly eventTimestampTo?: number;
  readonly publishTimestampFrom?: number;
  readonly publishTimestampTo?: number;
  readonly toIds?: boolean;
  readonly published?: boolean;
  /** Only events in one of these sharing groups (MISP's `sharinggroup`). */
  readonly sharingGroupIds?: readonly number[];
  /** Not in these sharing groups (`!id` in MISP's `sharinggroup`). */
  readonly excludeSharingGroupIds?: readonly number[];
  /** false (default): live only; true: deleted only; 'both'. */
  readonly deleted?: boolean | 'both';
  readonly limit?: number;
  readonly page?: number;
  /** Attribute searches: the order of the rows (then by id, the same way); by id ascending when left out. */
  readonly attributeOrder?: { readonly column: AttributeSortColumn; readonly direction: 'asc' | 'desc' };
}

/** The attribute columns an attribute listing may be sorted by (MISP's attributes/index `sort`). */
export const ATTRIBUTE_SORT_COLUMNS = ['id', 'event_id', 'object_id', 'object_relation', 'category', 'type', 'value1', 'value2', 'to_ids', 'uuid', 'timestamp', 'distribution', 'sharing_group_id', 'comment', 'deleted', 'disable_correlation', 'first_seen', 'last_seen'] as const;
export type AttributeSortColumn = (typeof ATTRIBUTE_SORT_COLUMNS)[number];

/** The event columns the index may be sorted by (MISP allows any column of the events table). */
export const EVENT_SORT_COLUMNS = ['id', 'timestamp', 'date', 'publish_timestamp', 'sighting_timestamp', 'info', 'threat_level_id', 'analysis', 'attribute_count', 'distribution', 'orgc_id', 'org_id', 'uuid', 'published'] as const;
export type EventSortColumn = (typeof EVENT_SORT_COLUMNS)[number];

/** Filters of the event index (events/index). */
export interface EventIndexFilters extends SearchFilters {
  readonly threatLevelIds?: readonly number[];
  readonly analysis?: readonly number[];
  readonly distribution?: readonly number[];
  /** `!` entries of MISP's `threatlevel`, `analysis` and `distribution`: events with none of these. */
  readonly excludeThreatLevelIds?: readonly number[];
  readonly excludeAnalysis?: readonly number[];
  readonly excludeDistribution?: readonly number[];
  /**
   * MISP's `email`: events created by users whose e-mail contains one of `include` (case aside)
   * and none of `exclude`. The caller decides who may use it (MISP: site admins, or one's own address).
   */
  readonly creatorEmail?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  /** MISP's minimal index: only events with an attribute or a live event report. */
  readonly withContent?: boolean;
  /** MISP's `hasproposal`: events with (true) or without (false) a pending proposal. */
  readonly hasProposal?: boolean;
  /** Only events whose sightings changed at or after this (MISP's `sighting_timestamp` index filter; a sighting sync asks for it). */
  readonly sightingTimestampFrom?: number;
  readonly sort?: EventSortColumn;
  readonly direction?: 'asc' | 'desc';
}
