import { describe, expect, it } from 'vitest';
import { MAX_PROTECTED_VALUE_LENGTH, checkAttributeValue, isProtectedValue, protectedValueVerdict } from './protected-value.js';

const envelope = 'waggle-abe:v1:{"v":1,"alg":"x","event":null,"attribute":null,"policy":"role:CERT","abe":"AA","iv":"AA","ct":"AA","signature":null}';
const token = `waggle-bt:v1:${'ab'.repeat(32)}`;

describe('protected attribute values', () => {
  it('recognises the two forms by prefix', () => {
    expect(isProtectedValue(envelope)).toBe(true);
    expect(isProtectedValue(`${token}|${envelope}`)).toBe(true);
    expect(isProtectedValue('198.51.100.7')).toBe(false);
  });

  it('stores the token as value1 and the envelope as value2, so the value reads back unchanged', () => {
    expect(protectedValueVerdict(`${token}|${envelope}`)).toEqual({ ok: true, value: `${token}|${envelope}`, value1: token, value2: envelope });
    expect(protectedValueVerdict(envelope)).toEqual({ ok: true, value: envelope, value1: envelope, value2: '' });
  });

  it('skips the type check for protected values only', () => {
    expect(checkAttributeValue('ip-dst', envelope).ok).toBe(true);
    expect(checkAttributeValue('ip-dst', 'not an address').ok).toBe(false);
    expect(checkAttributeValue('ip-dst', '198.51.100.7')).toMatchObject({ ok: true, value1: '198.51.100.7' });
  });

  it('refuses malformed protected values with a reason', () => {
    const reasons = [
      'waggle-abe:v1:not json',
      'waggle-abe:v1:{"v":1}',
      `waggle-bt:v1:abc|${envelope}`,
      `${token}|198.51.100.7`,
      token,
      `waggle-abe:v1:${' '.repeat(MAX_PROTECTED_VALUE_LENGTH)}`,
    ].map((v) => {
      const verdict = protectedValueVerdict(v);
      return verdict.ok ? 'accepted' : verdict.reason;
    });
    expect(reasons).toEqual([
      'protected value: the envelope is not JSON',
      'protected value: the envelope lacks v, policy, abe, iv or ct',
      'protected value: malformed blind token',
      'protected value: expected "waggle-abe:v1:" after the blind token',
      'protected value: expected "waggle-abe:v1:" after the blind token',
      `protected value longer than ${MAX_PROTECTED_VALUE_LENGTH} characters (use a shorter policy)`,
    ]);
  });
});
