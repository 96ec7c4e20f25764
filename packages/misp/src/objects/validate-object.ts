import { findTemplateAttribute, type ObjectTemplate } from './object-template.js';

/** One attribute of an object, as far as template conformity cares. */
export interface ObjectAttributeInput {
  readonly object_relation: string;
  readonly type: string;
  readonly value: string;
}

/** An object to check against its template. */
export interface ObjectInput {
  readonly name: string;
  readonly attributes: readonly ObjectAttributeInput[];
}

/** One reason an object does not conform to its template. */
export interface ObjectProblem {
  /** `name`, `attributes`, or `attributes[<index>].<object_relation|type|value>`. */
  readonly field: string;
  readonly message: string;
}

/** The verdict of {@link validateObject}. */
export type ObjectVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly problems: readonly ObjectProblem[] };

function list(relations: readonly string[]): string {
  return relations.map((relation) => `'${relation}'`).join(', ');
}

/**
 * Checks `object` against `template` and returns every problem at once:
 * the object's name matches the template's; each attribute's
 * `object_relation` exists in the template and its `type` is that relation's
 * one `misp-attribute`; values of relations with a `values_list` are in it
 * (exact match); relations without `multiple: true` occur at most once; every
 * `required` relation is present; at least one `requiredOneOf` relation is
 * present. `sane_default` is only a suggestion and is not enforced. Presence
 * is by relation, as in MISP: an empty value still counts.
 */
export function validateObject(template: ObjectTemplate, object: ObjectInput): ObjectVerdict {
  const problems: ObjectProblem[] = [];
  if (object.name !== template.name) {
    problems.push({ field: 'name', message: `object name '${object.name}' does not match template '${template.name}'` });
  }
  const seen = new Set<string>();
  object.attributes.forEach((attribute, index) => {
    const at = `attributes[${index}]`;
    const relation = attribute.object_relation;
    const element = findTemplateAttribute(template, relation);
    if (element === undefined) {
      problems.push({
        field: `${at}.object_relation`,
        message: `relation '${relation}' is not defined by template '${template.name}'`,
      });
      return;
    }
    if (seen.has(relation) && element.multiple !== true) {
      problems.push({
        field: `${at}.object_relation`,
        message: `relation '${relation}' may occur only once`,
      });
    }
    seen.add(relation);
    if (attribute.type !== element['misp-attribute']) {
      problems.push({
        field: `${at}.type`,
        message: `relation '${relation}' must have type '${element['misp-attribute']}', not '${attribute.type}'`,
      });
    }
    if (element.values_list !== undefined && !element.values_list.includes(attribute.value)) {
      problems.push({
        field: `${at}.value`,
        message: `value '${attribute.value}' of relation '${relation}' is not one of ${list(element.values_list)}`,
      });
    }
  });
  const present = new Set(object.attributes.map((attribute) => attribute.object_relation));
  for (const relation of template.required ?? []) {
    if (!present.has(relation)) {
      problems.push({ field: 'attributes', message: `required relation '${relation}' is missing` });
    }
  }
  const oneOf = template.requiredOneOf ?? [];
  if (oneOf.length > 0 && !oneOf.some((relation) => present.has(relation))) {
    problems.push({ field: 'attributes', message: `at least one of ${list(oneOf)} is required` });
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}
