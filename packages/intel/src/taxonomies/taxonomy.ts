/** One value of a predicate (`namespace:predicate="value"`), as in machinetag.json `values[].entry[]`. */
export interface TaxonomyEntry {
  readonly value: string;
  readonly expanded?: string;
  readonly description?: string;
  readonly colour?: string;
  readonly numerical_value?: number;
  readonly uuid?: string;
}

/** A predicate with the entries the file's `values` section gives it (possibly none). */
export interface TaxonomyPredicate {
  readonly value: string;
  readonly expanded?: string;
  readonly description?: string;
  readonly colour?: string;
  readonly numerical_value?: number;
  readonly uuid?: string;
  /** Only one value of this predicate may be set on the same event/attribute. */
  readonly exclusive: boolean;
  readonly entries: readonly TaxonomyEntry[];
}

/** A MISP taxonomy (machinetag.json) with `values` folded into their predicates. */
export interface Taxonomy {
  readonly namespace: string;
  readonly description: string;
  readonly version: number;
  readonly expanded?: string;
  readonly uuid?: string;
  /** Only one tag (per namespace, or per predicate for triple tags) may be set: see README. */
  readonly exclusive: boolean;
  readonly refs: readonly string[];
  /** Where the taxonomy applies (`event`, `attribute`, `org`, `user`); absent means everywhere. */
  readonly type?: readonly string[];
  readonly predicates: readonly TaxonomyPredicate[];
}
