/*
 * The TAXII 2.1 resources (OASIS TAXII 2.1, sections 3.6, 3.7, 4 and 5), as
 * they travel on the wire: property names are the specification's snake_case.
 */

/** A STIX object as far as TAXII cares: a type and an id; everything else passes through. */
export interface StixLike {
  readonly type: string;
  readonly id: string;
  readonly spec_version?: string;
  readonly created?: string;
  readonly modified?: string;
  readonly [property: string]: unknown;
}

/** Discovery resource (section 4.1.1). */
export interface TaxiiDiscovery {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  readonly default?: string;
  readonly api_roots?: readonly string[];
}

/** API root resource (section 4.2.1). */
export interface TaxiiApiRoot {
  readonly title: string;
  readonly description?: string;
  readonly versions: readonly string[];
  readonly max_content_length: number;
}

/** Collection resource (section 5.2.1). */
export interface TaxiiCollection {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  readonly can_read: boolean;
  readonly can_write: boolean;
  readonly media_types?: readonly string[];
}

/** Envelope (section 3.7): one page of objects. */
export interface TaxiiEnvelope<T = StixLike> {
  readonly more?: boolean;
  readonly next?: string;
  readonly objects?: readonly T[];
}

/** Manifest record (section 5.6.1). */
export interface TaxiiManifestRecord {
  readonly id: string;
  readonly date_added: string;
  readonly version: string;
  readonly media_type?: string;
}

/** Manifest resource (section 5.6.1); `next` is carried as in the envelope. */
export interface TaxiiManifest {
  readonly more?: boolean;
  readonly next?: string;
  readonly objects?: readonly TaxiiManifestRecord[];
}

/** Versions resource (section 5.8.1); `next` is carried as in the envelope. */
export interface TaxiiVersions {
  readonly more?: boolean;
  readonly next?: string;
  readonly versions?: readonly string[];
}

/** One entry of a status resource's successes, failures or pendings. */
export interface TaxiiStatusDetails {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** Status resource (section 4.3.1): the outcome of adding objects. */
export interface TaxiiStatus {
  readonly id: string;
  readonly status: 'complete' | 'pending';
  readonly request_timestamp?: string;
  readonly total_count: number;
  readonly success_count: number;
  readonly successes?: readonly TaxiiStatusDetails[];
  readonly failure_count: number;
  readonly failures?: readonly TaxiiStatusDetails[];
  readonly pending_count: number;
  readonly pendings?: readonly TaxiiStatusDetails[];
}

/** Error message resource (section 3.6.1). `http_status` is a string in the specification. */
export interface TaxiiErrorMessage {
  readonly title: string;
  readonly description?: string;
  readonly error_id?: string;
  readonly error_code?: string;
  readonly http_status?: string;
  readonly external_details?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The version of a STIX object for TAXII (section 3.4.2 / manifest `version`):
 * `modified`, else `created`, else the given fallback (unversioned objects such as
 * SCOs; the server uses a value that is consistent for the object, its date added).
 */
export function versionOf(object: StixLike, fallback: string): string {
  return typeof object.modified === 'string' ? object.modified : typeof object.created === 'string' ? object.created : fallback;
}
