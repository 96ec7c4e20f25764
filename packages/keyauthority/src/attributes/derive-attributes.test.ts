import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { claimsFromPayload } from '../claims/claims.js';
import { claimAttribute, deriveAttributes, encodeAttributeValue, validateOrgAttributes } from './derive-attributes.js';

describe('attribute derivation', () => {
  it('maps verified claims, org attributes and the epoch to sorted attributes', () => {
    const claims = claimsFromPayload('https://idp', { sub: 'alice', org: 'acme', email: 'alice@acme.example', roles: ['cert', 'analyst'] });
    if (typeof claims === 'string') throw new Error(claims);
    expect(deriveAttributes(claims, ['sector:energy', 'country:BE'], 'epoch:2026-12')).toEqual([
      'country:BE', 'email:alice_40acme.example', 'epoch:2026-12', 'org:acme', 'role:analyst', 'role:cert', 'sector:energy', 'user:alice',
    ]);
  });

  it('encodes values injectively into the attribute alphabet', () => {
    expect(encodeAttributeValue('a_b')).toBe('a_5Fb');
    expect(encodeAttributeValue('a:b')).toBe('a_3Ab');
    expect(encodeAttributeValue('é x')).toBe('_C3_A9_20x');
    expect(encodeAttributeValue('a_5Fb')).not.toBe(encodeAttributeValue('a_b'));
    expect(claimAttribute('user', 'org:admin')).toBe('user:org_3Aadmin');
  });

  it('skips unverified email and rejects unusable payloads', () => {
    expect(claimsFromPayload('i', { sub: 's', email: 'x@y', email_verified: false })).toEqual({ issuer: 'i', sub: 's', roles: [] });
    expect(claimsFromPayload('i', { org: 'acme' })).toMatch(/sub/);
    expect(claimsFromPayload('i', { sub: 's', roles: ['ok', 3] })).toMatch(/roles/);
    expect(claimsFromPayload('i', { sub: 's', org: 42 })).toMatch(/org/);
  });

  it('refuses reserved prefixes and malformed org attributes', () => {
    expect(validateOrgAttributes([' sector:energy', 'country:BE', 'country:BE'])).toEqual(['country:BE', 'sector:energy']);
    expect(() => validateOrgAttributes(['role:cert'])).toThrow(/reserved/);
    expect(() => validateOrgAttributes(['epoch:2099-01'])).toThrow(InputError);
    expect(() => validateOrgAttributes(['bad value'])).toThrow(/invalid names/);
    expect(() => validateOrgAttributes([])).toThrow(/1 to 64/);
  });
});
