import { isCompositeType } from '../types/type-registry.js';

/**
 * Types MISP never correlates (its `NON_CORRELATING_TYPES`): values such as
 * ports, counters or booleans that would link unrelated events.
 */
export const NON_CORRELATING_TYPES: readonly string[] = Object.freeze([
  'comment',
  'http-method',
  'aba-rtn',
  'gender',
  'counter',
  'integer',
  'float',
  'port',
  'nationality',
  'cortex',
  'boolean',
  'anonymised',
]);

/**
 * Composite types of which MISP correlates only value1 (its
 * `PRIMARY_ONLY_CORRELATING_TYPES`): the port half would correlate on its own.
 */
export const PRIMARY_ONLY_CORRELATING_TYPES: readonly string[] = Object.freeze(['ip-src|port', 'ip-dst|port', 'hostname|port']);

const nonCorrelating = new Set(NON_CORRELATING_TYPES);
const primaryOnly = new Set(PRIMARY_ONLY_CORRELATING_TYPES);

/** Whether attributes of `type` take part in value correlation at all. */
export function isCorrelatingType(type: string): boolean {
  return !nonCorrelating.has(type);
}

/**
 * The values an attribute correlates on, as MISP does: nothing for
 * non-correlating types; value1 and (when set) value2 for composite types,
 * except value1 only for `ip|port` and `hostname|port`; value1 otherwise.
 * Another attribute correlates when one of its own correlation values is
 * equal to one of these (MISP compares value1 or value2 with either).
 */
export function correlationValues(type: string, value1: string, value2: string): string[] {
  if (!isCorrelatingType(type) || value1 === '') return [];
  if (!isCompositeType(type) || primaryOnly.has(type) || value2 === '' || value2 === value1) return [value1];
  return [value1, value2];
}
