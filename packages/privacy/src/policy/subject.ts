import type { PolicyField } from './policy-schema.js';

/** What a rule is matched against: one field of one element of the event. */
export interface Subject {
  readonly field: PolicyField;
  /** The attribute's type, or for a half of a composite value the half's type. */
  readonly type?: string | undefined;
  /** The attribute's own composite type when `type` is a half's. */
  readonly compositeType?: string | undefined;
  readonly category?: string | undefined;
  /** The object holding the attribute (or the object whose comment this is). */
  readonly object?: { readonly name: string; readonly relation?: string | undefined } | undefined;
  readonly tags: readonly string[];
  readonly eventTags: readonly string[];
  readonly distribution?: number | undefined;
  readonly toIds?: boolean | undefined;
  readonly value: string;
}
