/** Where a sync with one server has got to, per direction. */
export interface SyncCursorRecord {
  id: number;
  server_id: number;
  direction: string;
  timestamp: number;
  uuid: string;
  updated: number;
}

/** One line of a server's sync log. */
export interface SyncLogRecord {
  id: number;
  server_id: number;
  created: number;
  direction: string;
  level: string;
  event_uuid: string;
  message: string;
  details: string;
}

/** An event that is never pulled or accepted again (MISP's event blocklist). */
export interface EventBlocklistRecord {
  id: number;
  event_uuid: string;
  event_info: string;
  event_orgc: string;
  comment: string;
  created: number;
}

/** An organisation whose events are never pulled or accepted again. */
export interface OrgBlocklistRecord {
  id: number;
  org_uuid: string;
  org_name: string;
  comment: string;
  created: number;
}

/** A configured feed (MISP's `feeds` table, trimmed to what waggle uses). */
export interface FeedRecord {
  id: number;
  name: string;
  provider: string;
  url: string;
  /** misp | csv | freetext | taxii */
  source_format: string;
  enabled: boolean;
  caching_enabled: boolean;
  distribution: number;
  sharing_group_id: number;
  tag_id: number;
  /** network | local */
  input_source: string;
  /** JSON: CSV column mapping, TAXII collection, etc. */
  settings: string;
  rules: string;
  headers: string;
  fixed_event: boolean;
  event_id: number;
  delta_merge: boolean;
  lookup_visible: boolean;
  last_fetched: number;
  last_error: string;
  created: number;
}

/** Which version of a feed's event was imported (incremental fetches compare with the manifest). */
export interface FeedEventRecord {
  id: number;
  feed_id: number;
  event_uuid: string;
  timestamp: number;
}

/** The MD5 of a value a feed holds (MISP's feed cache), for "also in feed X" overlap. */
export interface FeedValueHashRecord {
  id: number;
  feed_id: number;
  hash: string;
  event_uuid: string;
}

/** A taxonomy, galaxy, cluster file or warninglist in MISP's own JSON format. */
export interface IntelDocumentRecord {
  id: number;
  /** taxonomy | galaxy | galaxy-clusters | warninglist */
  kind: string;
  name: string;
  version: string;
  enabled: boolean;
  /** A taxonomy's `required` flag (MISP's `taxonomies/toggleRequired`); false for the other kinds. */
  required: boolean;
  document: string;
  updated: number;
}

/** A folder `waggle data import` read, kept so the server can read it again (MISP's library update). */
export interface IntelSourceRecord {
  id: number;
  /** taxonomies | galaxies | warninglists */
  data_set: string;
  /** Absolute path on the machine that ran the import. */
  path: string;
  created: number;
}
