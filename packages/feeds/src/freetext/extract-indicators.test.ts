import { describe, expect, it } from 'vitest';
import { extractIndicators } from './extract-indicators.js';
import { isTld, TLD_LIST_VERSION } from './tlds.js';

const pairs = (text: string): [string, string][] => extractIndicators(text).map((i) => [i.type, i.value]);

describe('extractIndicators', () => {
  it('refangs the usual defanging notations', () => {
    expect(pairs('hxxp://evil[.]com/a hxxps[:]//bad(.)com/b c2[dot]evil(dot)net x(.)y[.]org admin[at]evil[.]com root[@]evil.com meow://z[.]com/q')).toEqual([
      ['url', 'http://evil.com/a'],
      ['url', 'https://bad.com/b'],
      ['hostname', 'c2.evil.net'],
      ['hostname', 'x.y.org'],
      ['email-src', 'admin@evil.com'],
      ['email-src', 'root@evil.com'],
      ['url', 'http://z.com/q'],
    ]);
  });

  it('types IP addresses with ports and CIDR blocks, IPv4 and IPv6', () => {
    const found = extractIndicators('203.0.113.5 203.0.113.6:8443 198.51.100.0/24 198.51.100.0/33 2001:DB8::1 [2001:db8::2]:53 2001:db8::3:80 1.2.3[.]4');
    expect(found.map((i) => [i.type, i.value, i.comment])).toEqual([
      ['ip-dst', '203.0.113.5', undefined],
      ['ip-dst|port', '203.0.113.6|8443', 'On port 8443'],
      ['ip-dst', '198.51.100.0/24', undefined],
      ['ip-dst', '2001:db8::1', undefined],
      ['ip-dst|port', '2001:db8::2|53', 'On port 53'],
      ['ip-dst', '2001:db8::3:80', undefined],
      ['ip-dst', '1.2.3.4', undefined],
    ]);
    expect(found[0]).toEqual({ type: 'ip-dst', category: 'Network activity', value: '203.0.113.5', to_ids: true });
  });

  it('tells domains from hostnames by label count and needs a real TLD', () => {
    expect(pairs('evil.com www.evil.com evil.example bücher.de xn--80ak6aa92e.com evil.com:8080')).toEqual([
      ['domain', 'evil.com'],
      ['hostname', 'www.evil.com'],
      ['filename', 'evil.example'],
      ['domain', 'xn--bcher-kva.de'],
      ['domain', 'xn--80ak6aa92e.com'],
    ]);
  });

  it('does not fall for version numbers, file names, abbreviations, times and prose', () => {
    const text = 'Version 1.2.3.4.5 and 2.0.1 were fixed in report.pdf (see e.g. i.e. U.S. docs). Meeting at 12:30:45, ratio 1.5/2, and/or 3.14. The end.';
    const found = extractIndicators(text);
    expect(found.filter((i) => ['domain', 'hostname', 'url', 'ip-dst', 'ssdeep'].includes(i.type))).toEqual([]);
    expect(pairs(text)).toEqual([['filename', 'report.pdf']]);
  });

  it('finds URLs with and without scheme, and security vendor links', () => {
    expect(pairs('github.com/MISP/MISP https://www.virustotal.com/gui/file/abc https://sub.hybrid-analysis.com/x https://notvirustotal.com/x http://10.0.0.1:8080/p')).toEqual([
      ['url', 'github.com/MISP/MISP'],
      ['link', 'https://www.virustotal.com/gui/file/abc'],
      ['link', 'https://sub.hybrid-analysis.com/x'],
      ['url', 'https://notvirustotal.com/x'],
      ['url', 'http://10.0.0.1:8080/p'],
    ]);
    expect(extractIndicators('https://intel.acme.org/r/1', { securityVendorDomains: ['acme.org'] })[0]).toMatchObject({ type: 'link', to_ids: false });
  });

  it('recognises every digest length, composite filename|hash and ssdeep', () => {
    const h = (n: number): string => 'ab'.repeat(n / 2);
    const text = `${h(32).toUpperCase()} ${h(40)} ${h(56)} ${h(64)} ${h(96)} ${h(128)} invoice.exe|${h(64)} a.doc|96:abc/def+g:hij 24:aBcD/eF+gH:iJkL`;
    expect(extractIndicators(text).map((i) => [i.type, i.category, i.to_ids])).toEqual([
      ['md5', 'Payload delivery', true],
      ['sha1', 'Payload delivery', true],
      ['sha224', 'Payload delivery', true],
      ['sha256', 'Payload delivery', true],
      ['sha384', 'Payload delivery', true],
      ['sha512', 'Payload delivery', true],
      ['filename|sha256', 'Payload delivery', true],
      ['filename|ssdeep', 'Payload delivery', true],
      ['ssdeep', 'Payload delivery', true],
    ]);
    expect(extractIndicators(h(32).toUpperCase())[0]?.value).toBe(h(32));
    expect(pairs('abcdefabcdefabcdefabcdefabcdefab abcdefabcdefabcdefabcdefabcdefa')).toEqual([['md5', 'abcdefabcdefabcdefabcdefabcdefab']]);
  });

  it('finds CVE ids, AS numbers, bitcoin addresses, Windows paths and registry keys', () => {
    expect(extractIndicators('cve-2021-44228 AS13335 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq C:\\Users\\x\\evil.dll HKLM\\Software\\Run a\\nb').map((i) => [i.type, i.value, i.category, i.to_ids])).toEqual([
      ['vulnerability', 'CVE-2021-44228', 'External analysis', false],
      ['AS', '13335', 'Network activity', false],
      ['btc', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'Financial fraud', true],
      ['btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'Financial fraud', true],
      ['filename', 'C:\\Users\\x\\evil.dll', 'Payload delivery', true],
      ['regkey', 'HKLM\\Software\\Run', 'Persistence mechanism', true],
    ]);
  });

  it('splits on commas, semicolons, brackets and quotes, trims punctuation, and de-duplicates', () => {
    const text = 'IOCs: "evil.com", (bad.net); <198.51.100.7>,evil.com. "C:\\Program Files\\x.exe"\u00a0 198.51.100.7\u200b';
    expect(pairs(text)).toEqual([
      ['domain', 'evil.com'],
      ['domain', 'bad.net'],
      ['ip-dst', '198.51.100.7'],
      ['filename', 'Files\\x.exe'],
      ['filename', 'C:\\Program Files\\x.exe'],
    ]);
  });

  it('honours excludeRegex and includeTypes', () => {
    expect(pairs('evil.com good.org 198.51.100.9')).toHaveLength(3);
    expect(pairs('evil.com good.org').length).toBe(2);
    expect(extractIndicators('evil.com good.org 198.51.100.9', { excludeRegex: /\.org$/g, includeTypes: ['domain'] }).map((i) => i.value)).toEqual(['evil.com']);
  });

  it('handles 10 MB of text quickly, including adversarial runs', () => {
    const words = ['the', 'attacker', 'used', 'hxxp://evil[.]com/x', 'and', '198.51.100.1:443', 'd41d8cd98f00b204e9800998ecf8427e', 'v1.2.3', 'report.pdf,', 'CVE-2020-1234;'];
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 9_000_000; i++) {
      const word = i % 7 === 0 ? `http://host${i}.evil.com/p?${i}` : i % 11 === 0 ? `10.${i % 256}.${(i >> 8) % 256}.${(i >> 16) % 256}` : (words[i % words.length] as string);
      parts.push(word);
      size += word.length + 1;
    }
    const adversarial = ['a.'.repeat(300_000), '[.]'.repeat(100_000), '1'.repeat(200_000) + ':', `"${'x '.repeat(100_000)}`].join(' ');
    const text = `${parts.join(' ')} ${adversarial}`;
    expect(text.length).toBeGreaterThan(9_900_000);
    const started = performance.now();
    const found = extractIndicators(text);
    const seconds = (performance.now() - started) / 1000;
    expect(found.some((i) => i.value === 'http://evil.com/x')).toBe(true);
    expect(found.filter((i) => i.type === 'url').length).toBeGreaterThan(50_000);
    expect(seconds).toBeLessThan(15);
  });
});

describe('isTld', () => {
  it('knows the shipped IANA list, Unicode TLDs and .onion', () => {
    expect(TLD_LIST_VERSION).toMatch(/^\d{8}/);
    expect(['com', 'COM', 'zip', 'xn--p1ai', 'рф', 'onion'].map(isTld)).toEqual([true, true, true, true, true, true]);
    expect(['pdf', 'exe', 'example', 'local', '5', ''].map(isTld)).toEqual([false, false, false, false, false, false]);
  });
});
