import { beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../test-support/shared-data.js';
import { loadWarninglistsFromDir } from './warninglist-loader.js';
import { createWarninglistMatcher, type WarninglistMatcher } from './warninglist-matcher.js';

let matcher: WarninglistMatcher;
beforeAll(() => {
  const { lists, errors } = loadWarninglistsFromDir(sharedData('misp-warninglists'));
  expect(errors).toEqual([]);
  matcher = createWarninglistMatcher(lists);
});

const ids = (type: string, value: string): string[] => matcher.match(type, value).map((h) => h.id ?? h.list);

describe('the upstream warninglists, all loaded at once', () => {
  it('loads every list of the snapshot', () => {
    expect(matcher.lists).toHaveLength(136);
    expect(new Set(matcher.lists.map((l) => l.type))).toEqual(new Set(['cidr', 'string', 'hostname', 'substring', 'regex']));
  });

  it('has no unusable entries; the only remark is the g flag of phone_numbers', () => {
    expect(new Set(matcher.problems.map((p) => `${p.list}: ${p.message}`))).toEqual(new Set(["Unattributed phone number.: flag 'g' ignored (PHP has no such modifier)"]));
  });

  it('cidr: an RFC 1918 address, a public resolver, IPv6 link-local and a public IPv6 resolver', () => {
    expect(ids('ip-dst', '192.168.1.1')).toEqual(expect.arrayContaining(['rfc1918']));
    expect(ids('ip-src', '172.31.255.254')).toContain('rfc1918');
    expect(ids('ip-src', '172.32.0.1')).not.toContain('rfc1918');
    expect(ids('ip-dst', '8.8.8.8')).toContain('public-dns-v4');
    expect(ids('ip-dst', 'fe80::1')).toContain('ipv6-linklocal');
    expect(ids('ip-dst', '2001:4860:4860::8888')).toContain('public-dns-v6');
    expect(ids('ip-dst', '2001:4860:4860::8889')).not.toContain('public-dns-v6');
  });

  it('composite types: domain|ip and ip-dst|port', () => {
    expect(ids('domain|ip', 'intranet.example|10.10.10.10')).toContain('rfc1918');
    expect(ids('ip-dst|port', '192.168.0.1|8080')).toContain('rfc1918');
    expect(ids('ip-src|port', '203.0.113.7|22')).not.toContain('rfc1918');
  });

  it('hostname: a top site and its subdomains, including inside a URL', () => {
    expect(ids('domain', 'google.com')).toContain('alexa');
    expect(ids('hostname', 'mail.google.com')).toContain('alexa');
    expect(ids('url', 'https://docs.google.com/document/d/1')).toContain('alexa');
    expect(ids('domain', 'google.com.phish.example')).not.toContain('alexa');
    expect(ids('url', 'https://bit.ly/abc')).toContain('url-shortener');
  });

  it('string: the empty-file MD5 and SHA-256, but not another hash', () => {
    expect(ids('md5', 'd41d8cd98f00b204e9800998ecf8427e')).toContain('empty-hashes');
    expect(ids('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toContain('empty-hashes');
    expect(ids('md5', '0123456789abcdef0123456789abcdef')).toEqual([]);
  });

  it('substring: a disposable e-mail domain inside an address', () => {
    expect(ids('email-src', 'someone@0-mail.com')).toContain('disposable-email');
    expect(ids('email-src', 'someone@example.org')).not.toContain('disposable-email');
  });

  it('regex: common contact addresses and fictitious phone numbers', () => {
    expect(ids('email-dst', 'abuse@example.org')).toContain('common-contact-emails');
    expect(ids('email-dst', 'alice@example.org')).not.toContain('common-contact-emails');
    expect(ids('phone-number', '+15555501234')).toContain('phone_numbers');
    expect(ids('phone-number', '+3212345678')).not.toContain('phone_numbers');
  });

  it('keeps to matching_attributes: a private IP as a domain or a comment is not flagged', () => {
    expect(ids('domain', '10.0.0.1')).not.toContain('rfc1918');
    expect(ids('comment', '10.0.0.1')).toEqual([]);
  });
});
