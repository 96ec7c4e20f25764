import { describe, expect, it } from 'vitest';
import { claimsUsedFor, evaluatePolicy, parseAllowList, parsePolicy } from './policy.js';

describe('resource-owner policy language', () => {
  const policy = parsePolicy({
    rules: [
      { scopes: ['read'], allow: [{ org: 'ACME' }, { sector: 'energy', role: 'CERT' }, { user: 'bob' }] },
      { scopes: ['read', 'write'], allow: [{ org: '*' }], approval: 'owner' },
    ],
  });

  it('permits on any one matching condition, all claims of a condition required, lists match by membership', () => {
    expect(evaluatePolicy(policy, 'read', { org: 'ACME' })).toBe('permit');
    expect(evaluatePolicy(policy, 'read', { sector: 'energy', role: ['analyst', 'CERT'] })).toBe('permit');
    expect(evaluatePolicy(policy, 'read', { sub: 'bob' })).toBe('permit');
    expect(evaluatePolicy(policy, 'read', { sector: 'energy' })).toBe('none');
    expect(evaluatePolicy(policy, 'read', { org: 'OTHER' })).toBe('ask');
    expect(evaluatePolicy(policy, 'write', { org: 'ACME' })).toBe('ask');
    expect(evaluatePolicy(policy, 'write', {})).toBe('none');
    expect(evaluatePolicy(policy, 'delete', { org: 'ACME' })).toBe('none');
  });

  it('names the claims a scope depends on (user is an alias of sub)', () => {
    expect(claimsUsedFor(policy, 'read')).toEqual(['org', 'role', 'sector', 'sub']);
    expect(claimsUsedFor(policy, 'delete')).toEqual([]);
  });

  it('rejects malformed policies with the offending field', () => {
    const cases: [unknown, string][] = [
      [null, 'rules'],
      [{ rules: {} }, 'rules'],
      [{ rules: [5] }, 'rules[0]'],
      [{ rules: [{ scopes: ['read'], allow: [{}] }] }, 'rules[0].allow[0]'],
      [{ rules: [{ scopes: ['read'], allow: [{ org: '' }] }] }, 'rules[0].allow[0]'],
      [{ rules: [{ scopes: [1], allow: [{ org: 'A' }] }] }, 'rules[0].scopes'],
    ];
    for (const [raw, field] of cases) expect(() => parsePolicy(raw), JSON.stringify(raw)).toThrow(expect.objectContaining({ code: 'invalid_input', details: { field } }) as Error);
  });

  it('parses the CLI shorthand', () => {
    expect(parseAllowList('org:ACME, sector:energy+role:CERT ,user:alice')).toEqual([{ org: 'ACME' }, { sector: 'energy', role: 'CERT' }, { sub: 'alice' }]);
    expect(() => parseAllowList(' , ')).toThrow(/nobody/);
    expect(() => parseAllowList('org')).toThrow(/claim:value/);
    expect(() => parseAllowList('org:')).toThrow(/claim:value/);
  });
});
