import { describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '@waggle/errors';
import { parsePolicy } from './parse-policy.js';
import { selectRecipient } from './recipient.js';

const policy = parsePolicy(`version: 1
name: sharing
recipients:
  - name: energy
    match: { organisation: [CERT-EU, 11111111-2222-4333-8444-555555555555], sharing_group: [energy-isac] }
    default: keep
  - name: feeds
    match: { feed: ["*"], taxii: [public] }
    default: suppress
  - name: servers
    match: { server: [misp.partner.example] }
    default: suppress
  - name: default
    default: suppress
`);

describe('selectRecipient', () => {
  it('picks a section by name', () => {
    expect(selectRecipient(policy, 'servers').name).toBe('servers');
    expect(() => selectRecipient(policy, 'nope')).toThrow(NotFoundError);
    expect(() => selectRecipient(policy, 'nope')).toThrow(/has no recipient 'nope' \(it has: energy, feeds, servers, default\)/);
  });

  it('picks the first section whose match fits a {kind, name, uuid} description', () => {
    expect(selectRecipient(policy, { kind: 'organisation', name: 'cert-eu' }).name).toBe('energy');
    expect(selectRecipient(policy, { kind: 'organisation', name: 'Other', uuid: '11111111-2222-4333-8444-555555555555' }).name).toBe('energy');
    expect(selectRecipient(policy, { kind: 'feed', name: 'anything' }).name).toBe('feeds');
    expect(selectRecipient(policy, { kind: 'taxii', name: 'public' }).name).toBe('feeds');
    expect(selectRecipient(policy, { kind: 'server', name: 'misp.partner.example' }).name).toBe('servers');
    expect(selectRecipient(policy, { kind: 'stream' }).name).toBe('default');
  });

  it('accepts facets of several kinds', () => {
    expect(selectRecipient(policy, { organisation: { name: 'Somebody', uuid: 'x' }, sharing_group: 'energy-isac' }).name).toBe('energy');
    expect(selectRecipient(policy, { organisation: { name: 'Somebody' } }).name).toBe('default');
  });

  it('fails when nothing fits, and on an unknown kind', () => {
    const strict = parsePolicy('version: 1\nname: s\nrecipients:\n  - name: only\n    match: { server: [a] }\n    default: keep\n');
    expect(() => selectRecipient(strict, { kind: 'server', name: 'b' })).toThrow(/has no recipient section for server b/);
    expect(() => selectRecipient(strict, { kind: 'printer' as 'server', name: 'b' })).toThrow(InputError);
  });
});
