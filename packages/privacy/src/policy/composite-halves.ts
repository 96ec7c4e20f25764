import { isCompositeType, isKnownType } from '@waggle/misp';

// Halves whose names in the composite type are not attribute types of their own.
const HALF_ALIASES: Readonly<Record<string, string>> = { ip: 'ip-dst', value: 'text' };

/**
 * The attribute types of the two halves of a composite type, which rules
 * match on: `ip-dst|port` → `ip-dst`, `port`; `domain|ip` → `domain`,
 * `ip-dst`; `regkey|value` → `regkey`, `text`; `malware-sample` →
 * `filename`, `md5`. Undefined for types that are not composite.
 */
export function halfTypes(type: string): readonly [string, string] | undefined {
  if (!isCompositeType(type)) return undefined;
  if (type === 'malware-sample') return ['filename', 'md5'];
  const bar = type.indexOf('|');
  const first = type.slice(0, bar);
  const second = type.slice(bar + 1);
  return [HALF_ALIASES[first] ?? first, HALF_ALIASES[second] ?? second];
}

/** Whether an attribute left with only one half can become an attribute of that half's type. */
export function canStandAlone(halfType: string): boolean {
  return isKnownType(halfType) && halfType !== 'text';
}
