import type { Principal } from '@waggle/core';
import type { StixLike, TaxiiCollection, TaxiiFilter } from '@waggle/taxii';

/** One stored version of an object, as a collection holds it. */
export interface TaxiiSourceRecord {
  readonly object: StixLike;
  /** When this version was added to the collection (TAXII timestamp, UTC `Z`). */
  readonly dateAdded: string;
  /** The object's version (STIX `modified`, else `created`, else a stable server value). */
  readonly version: string;
}

/** One page of a source's answer. */
export interface TaxiiSourcePage {
  /** Ordered by date added, ascending; at most `page.limit` records. */
  readonly objects: readonly TaxiiSourceRecord[];
  readonly more: boolean;
  /** The source's own position marker for the next page (the routes wrap it into an opaque token). */
  readonly next?: string;
}

/** The outcome of adding objects; `failed` names the objects (by id) that were not stored. */
export interface TaxiiAddResult {
  readonly succeeded: number;
  readonly failed: readonly { readonly id: string; readonly message: string }[];
}

/**
 * The data port behind the TAXII routes. Visibility is the source's job: it
 * lists only the collections `p` may know about, and answers only with objects
 * `p` may read. A source is expected to throw NotFoundError for a collection id
 * it does not show to `p`.
 */
export interface TaxiiSource {
  /** The collections `p` may see (with `can_read`/`can_write` as they apply to `p`). */
  collections(p: Principal): Promise<readonly TaxiiCollection[]>;
  /**
   * One page of the object versions `filter` selects (TAXII selection rules:
   * `selectTaxiiRecords` in `@waggle/taxii` implements them for in-memory data).
   * `filter.next` and `filter.limit` are not set; paging comes in `page`.
   */
  objects(p: Principal, collectionId: string, filter: TaxiiFilter, page: { readonly limit: number; readonly next?: string }): Promise<TaxiiSourcePage>;
  /** Stores objects in a writable collection; absent when the source is read-only. */
  add?(p: Principal, collectionId: string, objects: readonly StixLike[]): Promise<TaxiiAddResult>;
}
