import { describe, expect, it } from 'vitest';
import { aWarninglist } from '../test-support/a-warninglist.js';
import { createWarninglistMatcher } from './warninglist-matcher.js';

const ips = ['ip-src', 'ip-dst', 'domain|ip', 'ip-src|port', 'ip-dst|port'];
const hosts = ['domain', 'hostname', 'domain|ip', 'url'];

const matcher = createWarninglistMatcher([
  aWarninglist({ id: 'private', name: 'Private', type: 'cidr', matching_attributes: ips, list: ['10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16', 'fc00::/7', 'not-a-cidr'] }),
  aWarninglist({ id: 'dns', name: 'DNS', type: 'cidr', category: 'known', matching_attributes: ips, list: ['8.8.8.8', '2001:4860:4860::8888'] }),
  aWarninglist({ id: 'hosts', name: 'Hosts', type: 'hostname', matching_attributes: hosts, list: ['Example.COM.', 'co.uk'] }),
  aWarninglist({ id: 'strings', name: 'Strings', type: 'string', matching_attributes: ['md5', 'filename|md5', 'domain'], list: ['d41d8cd98f00b204e9800998ecf8427e', 'exact.example.net', 'CaseSensitive'] }),
  aWarninglist({ id: 'subs', name: 'Subs', type: 'substring', matching_attributes: ['email-src', 'url'], list: ['mailinator', 'tracker', 'mail'], comments: new Map([['mail', 'any mail']]) }),
  aWarninglist({ id: 'rx', name: 'Regex', type: 'regex', matching_attributes: ['email-dst'], list: ['/^abuse@/i', '/[/'] }),
  aWarninglist({ id: 'all', name: 'Everything', type: 'string', list: ['42'] }),
]);

const hits = (type: string, value: string): string[] => matcher.match(type, value).map((h) => `${h.id ?? '?'}=${h.matched}@${h.value}`);

describe('createWarninglistMatcher', () => {
  it('matches IPv4 and IPv6 addresses inside CIDR blocks, reporting the widest block of a list', () => {
    expect(hits('ip-dst', '10.1.2.3')).toEqual(['private=10.0.0.0/8@10.1.2.3']);
    expect(hits('ip-src', 'fd12:3456::1')).toEqual(['private=fc00::/7@fd12:3456::1']);
    expect(hits('ip-src', '2001:4860:4860:0:0:0:0:8888')).toEqual(['dns=2001:4860:4860::8888@2001:4860:4860:0:0:0:0:8888']);
    expect(hits('ip-dst', '8.8.8.8')).toEqual(['dns=8.8.8.8@8.8.8.8']);
  });

  it('matches a network only when it lies wholly inside a block', () => {
    expect(hits('ip-src', '10.1.0.0/16')).toEqual(['private=10.0.0.0/8@10.1.0.0/16']);
    expect(hits('ip-src', '10.0.0.0/7')).toEqual([]);
    expect(hits('ip-src', '8.8.8.0/24')).toEqual([]);
  });

  it('does not match addresses outside every block, or non-IP values', () => {
    expect(hits('ip-dst', '11.0.0.1')).toEqual([]);
    expect(hits('ip-dst', '2001:db8::1')).toEqual([]);
    expect(hits('ip-dst', 'garbage')).toEqual([]);
  });

  it('checks both halves of composite values, first half first', () => {
    expect(hits('domain|ip', 'www.example.com|10.0.0.1')).toEqual(['private=10.0.0.0/8@10.0.0.1', 'hosts=example.com@www.example.com']);
    expect(hits('ip-src|port', '192.168.1.1|443')).toEqual(['private=192.168.0.0/16@192.168.1.1']);
    expect(hits('filename|md5', 'empty.txt|D41D8CD98F00B204E9800998ECF8427E')).toEqual(['strings=d41d8cd98f00b204e9800998ecf8427e@d41d8cd98f00b204e9800998ecf8427e']);
  });

  it('matches hostnames and every subdomain, not look-alikes', () => {
    expect(hits('domain', 'example.com')).toEqual(['hosts=example.com@example.com']);
    expect(hits('hostname', 'a.b.example.com.')).toEqual(['hosts=example.com@a.b.example.com.']);
    expect(hits('domain', 'WWW.Example.Com')).toEqual(['hosts=example.com@www.example.com']);
    expect(hits('domain', 'notexample.com')).toEqual([]);
    expect(hits('domain', 'example.com.evil.org')).toEqual([]);
    expect(hits('hostname', 'bbc.co.uk')).toEqual(['hosts=co.uk@bbc.co.uk']);
  });

  it('uses the host part of URLs for hostname lists', () => {
    expect(hits('url', 'https://User@Login.Example.com:8443/path?q=1')).toEqual(['hosts=example.com@https://User@Login.Example.com:8443/path?q=1']);
    expect(hits('url', 'example.com/login')).toEqual(['hosts=example.com@example.com/login']);
    expect(hits('url', 'https://evil.org/example.com')).toEqual([]);
  });

  it('matches strings exactly and case-sensitively (after MISP storage normalisation)', () => {
    expect(hits('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toEqual(['strings=d41d8cd98f00b204e9800998ecf8427e@d41d8cd98f00b204e9800998ecf8427e']);
    expect(hits('domain', 'exact.example.net.')).toEqual(['strings=exact.example.net@exact.example.net']);
    expect(hits('domain', 'www.exact.example.net')).toEqual([]);
    expect(hits('md5', 'd41d8cd98f00b204e9800998ecf8427f')).toEqual([]);
  });

  it('matches substrings, reporting the first entry of the list found, with its comment', () => {
    expect(matcher.match('email-src', 'joe@mailinator.com')).toEqual([{ list: 'Subs', id: 'subs', category: 'false_positive', matched: 'mailinator', value: 'joe@mailinator.com' }]);
    expect(matcher.match('email-src', 'joe@gmail.com')[0]).toMatchObject({ matched: 'mail', comment: 'any mail' });
    expect(hits('email-src', 'joe@example.org')).toEqual([]);
  });

  it('matches regexes, skipping entries that do not compile', () => {
    expect(hits('email-dst', 'Abuse@example.org')).toEqual(['rx=/^abuse@/i@abuse@example.org']);
    expect(hits('email-dst', 'info@example.org')).toEqual([]);
    expect(matcher.problems).toContainEqual({ list: 'Regex', entry: '/[/', message: expect.stringMatching(/^regex skipped: /) as unknown });
    expect(matcher.problems).toContainEqual({ list: 'Private', entry: 'not-a-cidr', message: 'not a valid IP address or CIDR block; skipped' });
  });

  it('honours matching_attributes; lists without them apply to every type', () => {
    expect(hits('domain', '10.0.0.1')).toEqual([]);
    expect(hits('email-src', 'example.com')).toEqual([]);
    expect(hits('text', '42')).toEqual(['all=42@42']);
    expect(hits('comment', 'nothing')).toEqual([]);
  });

  it('reports the category and skips non-IDS attributes in matchMany unless warningForAll', () => {
    expect(matcher.match('ip-dst', '8.8.8.8')[0]?.category).toBe('known');
    const attributes = [
      { type: 'ip-dst', value: '10.0.0.1', to_ids: false },
      { type: 'ip-dst', value: '10.0.0.1', to_ids: true },
      { type: 'ip-dst', value: '1.1.1.1' },
    ];
    expect(matcher.matchMany(attributes).map((h) => h.length)).toEqual([0, 1, 0]);
    const all = createWarninglistMatcher(matcher.lists, { warningForAll: true });
    expect(all.matchMany(attributes).map((h) => h.length)).toEqual([1, 1, 0]);
  });

  it('works with no lists at all', () => {
    expect(createWarninglistMatcher([]).match('ip-dst', '10.0.0.1')).toEqual([]);
  });
});
