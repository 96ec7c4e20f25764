import { isIP } from 'node:net';
import { validateAttributeValue } from '@waggle/misp';
import { comparisonKey, equals, type Comparison } from './comparison.js';

/** One value (or one half of a composite value) and the comparisons that express it. */
export interface Part {
  /** Comparisons for `value`; undefined when the value cannot be expressed this way. */
  encode(value: string): Comparison[] | undefined;
  /** Finds this part in `pool` (skipping indexes in `taken`): the value and the comparisons used. */
  match(pool: readonly Comparison[], taken: ReadonlySet<number>): { readonly value: string; readonly used: readonly number[] } | undefined;
}

function find(pool: readonly Comparison[], taken: ReadonlySet<number>, test: (c: Comparison) => boolean): number {
  return pool.findIndex((c, i) => !taken.has(i) && test(c));
}

const asText = (value: Comparison['value']): string => (typeof value === 'string' ? value : String(value));

/** A string property: `object:path = 'value'`. */
export function text(object: string, path: readonly string[]): Part {
  const key = comparisonKey(object, path);
  return {
    encode: (value) => [equals(object, path, value)],
    match(pool, taken) {
      const i = find(pool, taken, (c) => c.operator === '=' && comparisonKey(c.object, c.path) === key);
      return i === -1 ? undefined : { value: asText((pool[i] as Comparison).value), used: [i] };
    },
  };
}

/** An integer property (`file:size`, `network-traffic:dst_port`); other values cannot be expressed. */
export function integer(object: string, path: readonly string[], normalise: (value: string) => string | undefined = digits): Part {
  const key = comparisonKey(object, path);
  return {
    encode(value) {
      const n = normalise(value);
      return n === undefined ? undefined : [equals(object, path, Number(n))];
    },
    match(pool, taken) {
      const i = find(pool, taken, (c) => c.operator === '=' && comparisonKey(c.object, c.path) === key && /^\d+$/.test(asText(c.value)));
      return i === -1 ? undefined : { value: asText((pool[i] as Comparison).value), used: [i] };
    },
  };
}

function digits(value: string): string | undefined {
  const v = value.trim();
  return /^\d{1,15}$/.test(v) ? String(Number(v)) : undefined;
}

/** MISP's canonical AS number (`AS174` → `174`). */
export function asNumber(value: string): string | undefined {
  const verdict = validateAttributeValue('AS', value);
  return verdict.ok ? verdict.value : undefined;
}

/** The STIX address type of an IP (or CIDR) value; undefined when it is neither. */
export function ipObjectType(value: string): 'ipv4-addr' | 'ipv6-addr' | undefined {
  const [address = '', prefix, extra] = value.split('/');
  if (extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return undefined;
  const family = isIP(address);
  if (family === 4 && (prefix === undefined || Number(prefix) <= 32)) return 'ipv4-addr';
  if (family === 6 && (prefix === undefined || Number(prefix) <= 128)) return 'ipv6-addr';
  return undefined;
}

const isAddress = (c: Comparison): boolean => (c.object === 'ipv4-addr' || c.object === 'ipv6-addr') && c.path.length === 1 && c.path[0] === 'value';

/** An IP address or CIDR block: `ipv4-addr:value = '…'`, or `ISSUBSET` for a block (STIX 2.1 §9.7). */
export function ipAddress(): Part {
  return {
    encode(value) {
      const object = ipObjectType(value);
      if (object === undefined) return undefined;
      return [{ object, path: ['value'], operator: value.includes('/') ? 'ISSUBSET' : '=', value }];
    },
    match(pool, taken) {
      const i = find(pool, taken, isAddress);
      return i === -1 ? undefined : { value: asText((pool[i] as Comparison).value), used: [i] };
    },
  };
}

/**
 * The endpoint of network traffic: `network-traffic:<role>_ref.type` and
 * `.value`. With `hostAllowed`, a non-IP value is a domain name (`hostname|port`).
 */
export function endpoint(role: 'src' | 'dst', hostAllowed: boolean): Part {
  const ref = `${role}_ref`;
  return {
    encode(value) {
      const type = ipObjectType(value) ?? (hostAllowed ? 'domain-name' : undefined);
      if (type === undefined) return undefined;
      return [equals('network-traffic', [ref, 'type'], type), equals('network-traffic', [ref, 'value'], value)];
    },
    match(pool, taken) {
      const v = find(pool, taken, (c) => c.operator === '=' && c.object === 'network-traffic' && c.path.join('.') === `${ref}.value` &&
        (hostAllowed || ipObjectType(asText(c.value)) !== undefined));
      if (v === -1) return undefined;
      const t = find(pool, taken, (c) => c.object === 'network-traffic' && c.path.join('.') === `${ref}.type`);
      return { value: asText((pool[v] as Comparison).value), used: t === -1 ? [v] : [v, t] };
    },
  };
}
