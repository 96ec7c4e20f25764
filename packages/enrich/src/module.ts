/** The attribute an enrichment module looks at (the parts of a MISP attribute it needs). */
export interface EnrichAttribute {
  readonly type: string;
  readonly value: string;
  readonly uuid?: string;
  readonly object_relation?: string;
  readonly comment?: string;
}

/** An attribute a module proposes to add (MISP attribute fields). */
export interface NewAttribute {
  readonly type: string;
  readonly value: string;
  readonly category?: string;
  readonly comment?: string;
  readonly to_ids?: boolean;
  readonly object_relation?: string;
}

/** An object a module proposes to add (MISP object fields, attributes with their `object_relation`). */
export interface NewObject {
  readonly name: string;
  readonly template_uuid?: string;
  readonly template_version?: string;
  readonly meta_category?: string;
  readonly description?: string;
  readonly comment?: string;
  readonly Attribute: readonly NewAttribute[];
}

/** What a module found for one attribute: new attributes, new objects, and tag names for the input attribute. */
export interface Enrichment {
  readonly attributes: readonly NewAttribute[];
  readonly objects: readonly NewObject[];
  readonly tags: readonly string[];
}

/** Per-call context: a cancellation signal and the caller's module configuration (misp-modules `config`). */
export interface EnrichContext {
  readonly signal?: AbortSignal;
  readonly config?: Readonly<Record<string, string>>;
  /** UUID of the event the attribute belongs to, when a whole event is enriched. */
  readonly eventUuid?: string;
}

/**
 * An enrichment module (the port every enricher implements). Modules are pure
 * over their data sources, which they receive as ports when built. `enrich`
 * throws `InputError` for a value its type does not allow and resolves to an
 * empty enrichment when it simply knows nothing about the value.
 */
export interface EnrichmentModule {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** MISP attribute types the module accepts. */
  readonly inputTypes: readonly string[];
  /** MISP attribute types the module may produce (inside objects too). */
  readonly outputTypes: readonly string[];
  /** Names of the settings it reads from `EnrichContext.config` (misp-modules `moduleconfig`). */
  readonly config?: readonly string[];
  enrich(attribute: EnrichAttribute, ctx: EnrichContext): Promise<Enrichment>;
}

/** The empty enrichment. */
export const NOTHING: Enrichment = Object.freeze({ attributes: [], objects: [], tags: [] });

/** Prefix of the comment waggle writes on what it adds, so it never enriches its own output. */
export const ENRICHMENT_MARK = 'waggle-enrich';
