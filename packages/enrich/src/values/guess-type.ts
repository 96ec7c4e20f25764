import { InputError } from '@waggle/errors';
import { parseIp } from './ip-address.js';

const RULES: readonly (readonly [RegExp, string])[] = [
  [/^CVE-\d{4}-\d{4,}$/i, 'vulnerability'],
  [/^AS\d{1,10}$/i, 'AS'],
  [/^[a-f0-9]{32}$/i, 'md5'],
  [/^[a-f0-9]{40}$/i, 'sha1'],
  [/^[a-f0-9]{64}$/i, 'sha256'],
  [/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, 'url'],
  [/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email'],
  [/^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i, 'domain'],
];

/**
 * The MISP attribute type a bare value most likely is (IP → `ip-dst`, CVE id
 * → `vulnerability`, hashes, URL, e-mail, domain).
 * @throws InputError when the value looks like none of them (pass a type).
 */
export function guessType(value: string): string {
  const v = value.trim();
  if (v === '') throw new InputError('the value is empty', { field: 'value' });
  if (parseIp(v) !== undefined) return 'ip-dst';
  for (const [re, type] of RULES) if (re.test(v)) return type;
  throw new InputError(`cannot tell the attribute type of "${v.slice(0, 80)}"; give one with --type (e.g. text for an attack type)`, { field: 'type' });
}
