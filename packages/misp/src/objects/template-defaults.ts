import { findTemplateAttribute, type ObjectTemplate } from './object-template.js';

/**
 * Defaults for a new object attribute of one relation. An absent `category`
 * or `to_ids` means the template does not say, and the attribute type's own
 * default (from the MISP type registry) applies, as in MISP.
 */
export interface TemplateAttributeDefaults {
  /** The first of the element's `categories`. */
  readonly category?: string;
  readonly to_ids?: boolean;
  /** The element's `disable_correlation`, or `false`. */
  readonly disable_correlation: boolean;
}

/**
 * The defaults `template` gives an attribute with `relation`, or `undefined`
 * when the template has no such relation.
 */
export function templateDefaults(
  template: ObjectTemplate,
  relation: string,
): TemplateAttributeDefaults | undefined {
  const element = findTemplateAttribute(template, relation);
  if (element === undefined) return undefined;
  const category = element.categories?.[0];
  return {
    ...(category === undefined ? {} : { category }),
    ...(element.to_ids === undefined ? {} : { to_ids: element.to_ids }),
    disable_correlation: element.disable_correlation ?? false,
  };
}
