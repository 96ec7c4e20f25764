import { InputError } from '@waggle/errors';
import type { VerifiedClaims } from '../claims/claims.js';

/** Attribute prefixes the authority derives from claims; administrators cannot set them. */
export const RESERVED_PREFIXES = ['user:', 'org:', 'email:', 'role:', 'epoch:'] as const;

const ATTRIBUTE = /^[A-Za-z0-9_.:-]+$/;

/**
 * Encodes a claim value into the attribute alphabet, injectively: letters, digits, `.` and
 * `-` stay; every other UTF-8 byte (including `_` and `:`) becomes `_` and two upper-case
 * hex digits. `alice@acme.example` → `alice_40acme.example`.
 */
export function encodeAttributeValue(value: string): string {
  let out = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9.-]$/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `_${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The attribute for one claim, e.g. `claimAttribute('email', 'a@b.c')` → `email:a_40b.c`. */
export function claimAttribute(kind: 'user' | 'org' | 'email' | 'role', value: string): string {
  if (value === '') throw new InputError(`${kind}: empty value`, { field: kind });
  return `${kind}:${encodeAttributeValue(value)}`;
}

/**
 * Checks administrator-set organisation attributes: valid attribute names, none under a
 * reserved prefix (those come only from verified claims), at most 64. Returns them sorted.
 */
export function validateOrgAttributes(attributes: readonly string[]): string[] {
  const list = [...new Set(attributes.map((a) => a.trim()))].sort();
  if (list.length === 0 || list.length > 64) throw new InputError('attributes: give 1 to 64 attributes', { field: 'attributes' });
  const bad = list.filter((a) => !ATTRIBUTE.test(a) || a.length > 128);
  if (bad.length > 0) throw new InputError(`attributes: invalid names (allowed: A-Z a-z 0-9 _ . : -, at most 128 characters): ${bad.map((b) => JSON.stringify(b)).join(', ')}`, { field: 'attributes' });
  const reserved = list.filter((a) => RESERVED_PREFIXES.some((p) => a.startsWith(p)));
  if (reserved.length > 0) throw new InputError(`attributes: ${reserved.join(', ')} use a prefix reserved for verified claims (${RESERVED_PREFIXES.join(' ')})`, { field: 'attributes' });
  return list;
}

/** Checks an organisation name as used in the admin API and CLI. */
export function validateOrgName(org: string): string {
  if (org === '' || org.length > 256 || [...org].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) throw new InputError('org: 1 to 256 printable characters', { field: 'org' });
  return org;
}

/**
 * A key's attributes: `user:<sub>`, `org:<org>`, `email:<email>`, `role:<r>` from the
 * verified claims, the organisation's administrator-set attributes, and the epoch
 * attribute. Nothing the requester sends can add to this list.
 */
export function deriveAttributes(claims: VerifiedClaims, orgAttributes: readonly string[], epochAttribute: string): string[] {
  const out = new Set<string>([claimAttribute('user', claims.sub), epochAttribute]);
  if (claims.org !== undefined) out.add(claimAttribute('org', claims.org));
  if (claims.email !== undefined) out.add(claimAttribute('email', claims.email));
  for (const r of claims.roles) out.add(claimAttribute('role', r));
  for (const a of orgAttributes) out.add(a);
  return [...out].sort();
}
