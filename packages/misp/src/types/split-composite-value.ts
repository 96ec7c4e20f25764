import { isCompositeType } from './type-registry.js';

/** The two stored halves of an attribute value; `value2` is '' for non-composite types. */
export interface CompositeParts {
  readonly value1: string;
  readonly value2: string;
}

/**
 * Splits a value the way MISP fills `value1`/`value2`: for composite types at
 * the `|` (a validated composite value has exactly one), otherwise the whole
 * value is `value1`. A composite value without `|` gives an empty `value2`;
 * with several, `value2` keeps everything after the first.
 */
export function splitCompositeValue(type: string, value: string): CompositeParts {
  if (!isCompositeType(type)) return { value1: value, value2: '' };
  const bar = value.indexOf('|');
  return bar === -1 ? { value1: value, value2: '' } : { value1: value.slice(0, bar), value2: value.slice(bar + 1) };
}
