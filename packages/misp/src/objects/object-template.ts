/**
 * One element of an object template: what an attribute with a given
 * `object_relation` looks like. Field names are exactly those of a
 * misp-objects `definition.json`, so a parsed file and this type read alike.
 */
export interface ObjectTemplateAttribute {
  /** The one MISP attribute type an attribute of this relation must have. */
  readonly 'misp-attribute': string;
  readonly description: string;
  readonly 'ui-priority': number;
  /** Allowed categories; the first is the default. */
  readonly categories?: readonly string[];
  /** Whether the relation may occur more than once in one object. */
  readonly multiple?: boolean;
  /** Suggested values; not enforced. */
  readonly sane_default?: readonly string[];
  /** The only values allowed, compared exactly. */
  readonly values_list?: readonly string[];
  /** Default for the attribute's `to_ids`; absent means the type's default. */
  readonly to_ids?: boolean;
  /** Default for the attribute's `disable_correlation`. */
  readonly disable_correlation?: boolean;
  /** A hint for user interfaces to offer the relation prominently. */
  readonly recommended?: boolean;
}

/**
 * A MISP object template, as in misp-objects `objects/<name>/definition.json`.
 * `uuid` and `version` together identify one revision of a template.
 */
export interface ObjectTemplate {
  readonly name: string;
  readonly uuid: string;
  readonly version: number;
  readonly description: string;
  readonly 'meta-category': string;
  /** Elements keyed by `object_relation`. */
  readonly attributes: Readonly<Record<string, ObjectTemplateAttribute>>;
  /** Relations that must all be present. */
  readonly required?: readonly string[];
  /** Relations of which at least one must be present. */
  readonly requiredOneOf?: readonly string[];
}

/**
 * The element of `template` for `relation`, or `undefined` when the template
 * has no such relation. Looks only at own keys, so relation names such as
 * `constructor` never reach `Object.prototype`.
 */
export function findTemplateAttribute(
  template: ObjectTemplate,
  relation: string,
): ObjectTemplateAttribute | undefined {
  return Object.hasOwn(template.attributes, relation) ? template.attributes[relation] : undefined;
}
