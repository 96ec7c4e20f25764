import { ANALYSIS_STATES, THREAT_LEVELS } from './native-json.js';

/** An attribute in a native create request. */
export interface NativeAttributeInput {
  readonly type: string;
  readonly value: string;
  readonly category?: string;
  readonly to_ids?: boolean;
  readonly comment?: string;
  readonly distribution?: number;
  readonly sharing_group_id?: number;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly disable_correlation?: boolean;
  readonly tags?: readonly string[];
}

/** An object in a native create request: attributes carry their template relation. */
export interface NativeObjectInput {
  readonly name: string;
  readonly comment?: string;
  readonly distribution?: number;
  readonly sharing_group_id?: number;
  readonly attributes: readonly (NativeAttributeInput & { readonly relation: string })[];
}

/** A native event create request. */
export interface NativeEventInput {
  readonly info: string;
  readonly date?: string;
  readonly threat_level?: (typeof THREAT_LEVELS)[number];
  readonly analysis?: (typeof ANALYSIS_STATES)[number];
  readonly distribution?: number;
  readonly sharing_group_id?: number;
  readonly published?: boolean;
  readonly tags?: readonly string[];
  readonly attributes?: readonly NativeAttributeInput[];
  readonly objects?: readonly NativeObjectInput[];
}

type J = Record<string, unknown>;

/** Copies the keys whose value is defined (MISP's parser treats a present key as set). */
function defined(o: J): J {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Native attribute → the MISP attribute JSON the core parser reads. */
export function mispAttribute(a: NativeAttributeInput, relation?: string): J {
  return defined({
    type: a.type,
    value: a.value,
    category: a.category,
    to_ids: a.to_ids,
    comment: a.comment,
    distribution: a.distribution,
    sharing_group_id: a.sharing_group_id,
    first_seen: a.first_seen,
    last_seen: a.last_seen,
    disable_correlation: a.disable_correlation,
    object_relation: relation,
    Tag: a.tags?.map((name) => ({ name })),
  });
}

/**
 * Native event → MISP event JSON, so the native API writes through the same
 * parser, validation and transaction as `events/add`.
 */
export function mispEvent(input: NativeEventInput): J {
  return {
    Event: defined({
      info: input.info,
      date: input.date,
      threat_level_id: input.threat_level === undefined ? undefined : THREAT_LEVELS.indexOf(input.threat_level) + 1,
      analysis: input.analysis === undefined ? undefined : ANALYSIS_STATES.indexOf(input.analysis),
      distribution: input.distribution,
      sharing_group_id: input.sharing_group_id,
      published: input.published,
      Tag: input.tags?.map((name) => ({ name })),
      Attribute: input.attributes?.map((a) => mispAttribute(a)),
      Object: input.objects?.map((o) =>
        defined({
          name: o.name,
          comment: o.comment,
          distribution: o.distribution,
          sharing_group_id: o.sharing_group_id,
          Attribute: o.attributes.map((a) => mispAttribute(a, a.relation)),
        }),
      ),
    }),
  };
}
