/** How a warninglist's entries are compared with attribute values (MISP's five list types). */
export type WarninglistType = 'string' | 'substring' | 'hostname' | 'cidr' | 'regex';

/** MISP's warninglist categories: a likely false positive, or a known identifier worth noting. */
export type WarninglistCategory = 'false_positive' | 'known';

/** A warninglist (misp-warninglists `lists/<id>/list.json`). */
export interface Warninglist {
  /** Folder name when loaded from a directory (e.g. `rfc1918`); the name identifies the list otherwise. */
  readonly id?: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly type: WarninglistType;
  /** `false_positive` unless the file says otherwise (MISP's default). */
  readonly category: WarninglistCategory;
  /** Attribute types the list applies to; `['ALL']` when the file gives none, as in MISP. */
  readonly matching_attributes: readonly string[];
  /** The entries, empty ones dropped. */
  readonly list: readonly string[];
  /** Comments of entries, when the file's `list` is an object `{ entry: comment }`. */
  readonly comments?: ReadonlyMap<string, string>;
}

/** One list that a value is on. */
export interface WarninglistHit {
  /** The list's name (MISP's `warninglist_name`). */
  readonly list: string;
  /** The list's id (folder name) when it has one. */
  readonly id?: string;
  readonly category: WarninglistCategory;
  /** The list entry that matched (for hostname lists the normalised entry; for CIDR lists the block). */
  readonly matched: string;
  /** The part of the attribute value that matched (one half of a composite value). */
  readonly value: string;
  readonly comment?: string;
}
