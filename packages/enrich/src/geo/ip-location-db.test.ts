import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '@waggle/errors';
import { ipv4Text, ipv6Text, parseIp, type IpAddress } from '../values/ip-address.js';
import { rowAt, scratchDir } from '../test-support/scratch.js';
import { createIpLocationDb } from './ip-location-db.js';
import { installedIpLocationFiles } from './ip-location-files.js';
import { createAsnModule, createGeolocationModule } from './geo-modules.js';

const files = installedIpLocationFiles();
const ip = (t: string): IpAddress => parseIp(t) ?? (() => { throw new Error(t); })();
const unquote = (s: string): string => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);

describe('the installed ip-location-db databases', () => {
  const db = createIpLocationDb(files);

  it('loads nothing before the first lookup', () => {
    expect(createIpLocationDb(files).loaded()).toEqual({});
  });

  it('finds the ASN of both ends and the middle of a real IPv4 row read from the CSV', () => {
    const [start, end, rest] = rowAt(files.asnIpv4 as string, 0.5);
    const comma = (rest as string).indexOf(',');
    const asn = Number((rest as string).slice(0, comma));
    const org = unquote((rest as string).slice(comma + 1));
    for (const n of [Number(start), Number(end), Math.floor((Number(start) + Number(end)) / 2)]) {
      expect(db.asnOf(ip(ipv4Text(n))), ipv4Text(n)).toMatchObject({ asn, organization: org, family: 4, start: BigInt(start as string), end: BigInt(end as string) });
    }
    expect(db.loaded()).toEqual({ asnIpv4: expect.any(Number) as number });
  });

  it('finds the ASN of a real IPv6 row', () => {
    const [start, end, rest] = rowAt(files.asnIpv6 as string, 0.3);
    const asn = Number((rest as string).split(',')[0]);
    expect(db.asnOf(ip(ipv6Text(BigInt(start as string))))?.asn).toBe(asn);
    expect(db.asnOf(ip(ipv6Text(BigInt(end as string))))?.asn).toBe(asn);
  });

  it('finds the country of real IPv4 and IPv6 rows', () => {
    const [s4, , c4] = rowAt(files.countryIpv4 as string, 0.7);
    expect(db.countryOf(ip(ipv4Text(Number(s4))))?.countryCode).toBe(c4);
    const [s6, , c6] = rowAt(files.countryIpv6 as string, 0.6);
    expect(db.countryOf(ip(ipv6Text(BigInt(s6 as string))))?.countryCode).toBe(c6);
  });

  it('answers nothing for an address in no range (loopback)', () => {
    expect(db.asnOf(ip('127.0.0.1'))).toBeUndefined();
    expect(db.countryOf(ip('::1'))).toBeUndefined();
  });
});

describe('the asn and geolocation modules', () => {
  const scratch = scratchDir({
    'asn4.csv': '16777216,16777471,13335,"Example, Inc. ""CDN"""\n16777472,16778239,0,Unrouted\n',
    'asn6.csv': '42540528726795050063891204319802818560,42540528806023212578155541913346768895,2500,WIDE Project\n',
    'cc4.csv': '16777216,16777471,AU\n',
    'bad.csv': '16777216,16777471,Australia\n',
  });
  afterAll(scratch.remove);
  const db = createIpLocationDb({ asnIpv4: `${scratch.dir}/asn4.csv`, asnIpv6: `${scratch.dir}/asn6.csv`, countryIpv4: `${scratch.dir}/cc4.csv` });
  const asn = createAsnModule({ db });
  const geo = createGeolocationModule({ db });

  it('builds a MISP asn object with asn, subnet-announced and description', async () => {
    const r = await asn.enrich({ type: 'ip-dst|port', value: '1.0.0.9|443' }, {});
    expect(r.objects).toHaveLength(1);
    expect(r.objects[0]).toMatchObject({ name: 'asn', template_uuid: '4ec55cc6-9e49-4c64-b794-03c25c1a6587', comment: 'waggle-enrich: asn of 1.0.0.9' });
    expect(r.objects[0]?.Attribute.map((a) => [a.object_relation, a.type, a.value])).toEqual([
      ['asn', 'AS', '13335'],
      ['subnet-announced', 'ip-src', '1.0.0.0/24'],
      ['description', 'text', 'Example, Inc. "CDN"'],
    ]);
    const v6 = await asn.enrich({ type: 'ip-src', value: '2001:200:1::1' }, {});
    expect(v6.objects[0]?.Attribute.map((a) => a.value)).toEqual(['2500', '2001:200::/32', 'WIDE Project']);
  });

  it('gives nothing for AS0 (unrouted) and unknown ranges', async () => {
    expect((await asn.enrich({ type: 'ip-src', value: '1.0.1.1' }, {})).objects).toEqual([]);
    expect((await asn.enrich({ type: 'ip-src', value: '9.9.9.9' }, {})).objects).toEqual([]);
  });

  it('builds a geolocation object with the country code and its English name', async () => {
    const r = await geo.enrich({ type: 'ip-src', value: '1.0.0.1' }, {});
    expect(r.objects[0]?.name).toBe('geolocation');
    expect(r.objects[0]?.Attribute.map((a) => [a.object_relation, a.value])).toEqual([['countrycode', 'AU'], ['country', 'Australia']]);
    // No IPv6 country file configured: no answer rather than an error.
    expect((await geo.enrich({ type: 'ip-src', value: '2001:200::1' }, {})).objects).toEqual([]);
  });

  it('rejects malformed values and foreign types', async () => {
    await expect(asn.enrich({ type: 'ip-src', value: 'not-an-ip' }, {})).rejects.toThrow(InputError);
    await expect(geo.enrich({ type: 'domain', value: 'example.com' }, {})).rejects.toThrow(/carries no IP/);
  });

  it('rejects a database with a bad row, and a missing file, on first lookup', () => {
    const bad = createIpLocationDb({ countryIpv4: `${scratch.dir}/bad.csv`, asnIpv4: `${scratch.dir}/missing.csv` });
    expect(() => bad.countryOf(ip('1.0.0.1'))).toThrow(/bad.csv line 1: country code "Australia"/);
    expect(() => bad.asnOf(ip('1.0.0.1'))).toThrow(UnavailableError);
  });
});
