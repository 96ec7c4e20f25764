/**
 * Stored records of the MISP core data model, one interface per table. Column
 * names follow MISP's own field names so that records and the MISP JSON format
 * read alike. Timestamps are Unix seconds; booleans are real booleans (the SQL
 * adapter converts for SQLite).
 */

/** MISP distribution levels. 5 (inherit) is valid on attributes and objects only. */
export type Distribution = 0 | 1 | 2 | 3 | 4 | 5;

export interface OrganisationRecord {
  id: number;
  uuid: string;
  name: string;
  description: string;
  type: string;
  nationality: string;
  sector: string;
  contacts: string;
  local: boolean;
  restricted_to_domain: string;
  landingpage: string;
  created_by: number;
  date_created: number;
  date_modified: number;
}

export interface RoleRecord {
  id: number;
  name: string;
  perm_add: boolean;
  perm_modify: boolean;
  perm_modify_org: boolean;
  perm_publish: boolean;
  perm_delegate: boolean;
  perm_sync: boolean;
  perm_admin: boolean;
  perm_audit: boolean;
  perm_auth: boolean;
  perm_site_admin: boolean;
  perm_regexp_access: boolean;
  perm_tagger: boolean;
  perm_template: boolean;
  perm_sharing_group: boolean;
  perm_tag_editor: boolean;
  perm_sighting: boolean;
  perm_object_template: boolean;
  perm_galaxy_editor: boolean;
  perm_warninglist: boolean;
  perm_publish_zmq: boolean;
  perm_publish_kafka: boolean;
  perm_decaying: boolean;
  default_role: boolean;
  restricted_to_site_admin: boolean;
  enforce_rate_limit: boolean;
  rate_limit_count: number;
  memory_limit: string;
  max_execution_time: string;
  created: number;
  modified: number;
}

export interface UserRecord {
  id: number;
  email: string;
  org_id: number;
  role_id: number;
  password_hash: string;
  disabled: boolean;
  autoalert: boolean;
  contactalert: boolean;
  termsaccepted: boolean;
  change_pw: boolean;
  nids_sid: number;
  gpgkey: string;
  certif_public: string;
  expiration: number | null;
  invited_by: number;
  date_created: number;
  date_modified: number;
  last_login: number;
  current_login: number;
}

export interface AuthKeyRecord {
  id: number;
  uuid: string;
  /** SHA-256 of the whole key (keys are 40 random characters, see ADR 0003); the raw key is shown once and never stored. */
  authkey_hash: string;
  authkey_start: string;
  authkey_end: string;
  user_id: number;
  created: number;
  expiration: number;
  read_only: boolean;
  comment: string;
  allowed_ips: string;
}

export interface SharingGroupRecord {
  id: number;
  uuid: string;
  name: string;
  description: string;
  releasability: string;
  organisation_uuid: string;
  org_id: number;
  sync_user_id: number;
  active: boolean;
  local: boolean;
  roaming: boolean;
  created: number;
  modified: number;
}

export interface SharingGroupOrgRecord {
  id: number;
  sharing_group_id: number;
  org_id: number;
  extend: boolean;
}

export interface SharingGroupServerRecord {
  id: number;
  sharing_group_id: number;
  /** 0 means "this instance". */
  server_id: number;
  all_orgs: boolean;
}

export interface ServerRecord {
  id: number;
  name: string;
  url: string;
  authkey: string;
  org_id: number;
  remote_org_id: number;
  push: boolean;
  pull: boolean;
  push_sightings: boolean;
  push_galaxy_clusters: boolean;
  pull_galaxy_clusters: boolean;
  self_signed: boolean;
  internal: boolean;
  skip_proxy: boolean;
  caching_enabled: boolean;
  unpublish_event: boolean;
  publish_without_email: boolean;
  push_rules: string;
  pull_rules: string;
  lastpulledid: number;
  lastpushedid: number;
  priority: number;
}

export interface EventRecord {
  id: number;
  uuid: string;
  org_id: number;
  orgc_id: number;
  user_id: number;
  info: string;
  date: string;
  threat_level_id: number;
  analysis: number;
  distribution: Distribution;
  sharing_group_id: number;
  published: boolean;
  publish_timestamp: number;
  timestamp: number;
  attribute_count: number;
  locked: boolean;
  proposal_email_lock: boolean;
  disable_correlation: boolean;
  extends_uuid: string;
  event_creator_email: string;
  sighting_timestamp: number;
  protected: boolean;
}

export interface AttributeRecord {
  id: number;
  uuid: string;
  event_id: number;
  object_id: number;
  object_relation: string | null;
  category: string;
  type: string;
  value1: string;
  value2: string;
  to_ids: boolean;
  distribution: Distribution;
  sharing_group_id: number;
  comment: string;
  timestamp: number;
  deleted: boolean;
  disable_correlation: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

export interface ObjectRecord {
  id: number;
  uuid: string;
  event_id: number;
  name: string;
  meta_category: string;
  description: string;
  template_uuid: string;
  template_version: string;
  distribution: Distribution;
  sharing_group_id: number;
  comment: string;
  timestamp: number;
  deleted: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

/** A value MISP does not correlate (`correlation_exclusions`): exact, or with a leading or trailing `%`. */
export interface CorrelationExclusionRecord {
  id: number;
  value: string;
  from_json: boolean;
  comment: string;
}

/** MISP's event report: a named Markdown text inside an event, with its own distribution (5 = the event's). */
export interface EventReportRecord {
  id: number;
  uuid: string;
  event_id: number;
  name: string;
  content: string;
  distribution: Distribution;
  sharing_group_id: number;
  timestamp: number;
  deleted: boolean;
}

/** The three kinds of MISP 2.5 analyst data. */
export type AnalystKind = 'Note' | 'Opinion' | 'Relationship';

/**
 * MISP 2.5 analyst data: a note, opinion or relationship attached by UUID to an element
 * (`object_uuid`/`object_type`). The kind decides which of the kind-specific fields are used
 * (`note`; `opinion`, `comment`; `related_object_*`, `relationship_type`); the others stay empty.
 * `created`/`modified` are MySQL datetimes in UTC ("YYYY-MM-DD HH:MM:SS") as MISP keeps them.
 */
export interface AnalystDataRecord {
  id: number;
  uuid: string;
  kind: AnalystKind;
  object_uuid: string;
  object_type: string;
  authors: string;
  org_uuid: string;
  orgc_uuid: string;
  created: string;
  modified: string;
  /** 5 = the element it is attached to decides. */
  distribution: Distribution;
  sharing_group_id: number;
  locked: boolean;
  language: string;
  note: string;
  opinion: number;
  comment: string;
  related_object_uuid: string;
  related_object_type: string;
  relationship_type: string;
}

export interface ObjectReferenceRecord {
  id: number;
  uuid: string;
  object_id: number;
  event_id: number;
  source_uuid: string;
  referenced_uuid: string;
  referenced_id: number;
  referenced_type: number;
  relationship_type: string;
  comment: string;
  timestamp: number;
  deleted: boolean;
}

export interface TagRecord {
  id: number;
  name: string;
  colour: string;
  exportable: boolean;
  org_id: number;
  user_id: number;
  hide_tag: boolean;
  numerical_value: number | null;
  is_galaxy: boolean;
  is_custom_galaxy: boolean;
  local_only: boolean;
}

export interface EventTagRecord {
  id: number;
  event_id: number;
  tag_id: number;
  local: boolean;
}

export interface AttributeTagRecord {
  id: number;
  attribute_id: number;
  event_id: number;
  tag_id: number;
  local: boolean;
}

export interface SightingRecord {
  id: number;
  uuid: string;
  attribute_id: number;
  event_id: number;
  org_id: number;
  date_sighting: number;
  source: string;
  /** 0 sighting, 1 false positive, 2 expiration. */
  type: number;
}

/** IP ranges (single addresses and CIDR blocks) as fixed-width hex, for containment correlation. */
export interface IpRangeRecord {
  id: number;
  attribute_id: number;
  event_id: number;
  family: number;
  ip_start: string;
  ip_end: string;
  is_cidr: boolean;
}

export interface AuditLogRecord {
  id: number;
  created: number;
  user_id: number;
  org_id: number;
  ip: string;
  action: string;
  model: string;
  model_id: number;
  model_title: string;
  change: string;
  /** Position in the hash chain (1, 2, …; 0 for none). */
  seq: number;
  /** The previous entry's hash (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256 of this entry's fields and `prev_hash` ({@link auditEntryHash}). */
  hash: string;
}

/** A galaxy cluster an organisation created (MISP's custom clusters; data-set clusters live elsewhere). */
export interface GalaxyClusterRecord {
  id: number;
  uuid: string;
  collection_uuid: string;
  /** The galaxy's type, e.g. `threat-actor`: the tag is `misp-galaxy:<type>="<value>"`. */
  type: string;
  galaxy_uuid: string;
  value: string;
  tag_name: string;
  description: string;
  source: string;
  /** JSON array of author names. */
  authors: string;
  /** Bumped on every edit; a sync keeps the newer one. */
  version: number;
  distribution: number;
  sharing_group_id: number;
  org_id: number;
  orgc_id: number;
  /** Always false for custom clusters (true means "from the shared galaxy files"). */
  default: boolean;
  locked: boolean;
  extends_uuid: string;
  extends_version: number;
  published: boolean;
  deleted: boolean;
  timestamp: number;
  created: number;
}

/** A key/value of a custom cluster (synonyms, refs, country…). */
export interface GalaxyElementRecord {
  id: number;
  galaxy_cluster_id: number;
  key: string;
  value: string;
}

/** A relation from a custom cluster to another cluster. */
export interface GalaxyClusterRelationRecord {
  id: number;
  galaxy_cluster_id: number;
  galaxy_cluster_uuid: string;
  referenced_galaxy_cluster_uuid: string;
  referenced_galaxy_cluster_type: string;
  distribution: number;
  sharing_group_id: number;
  default: boolean;
}
