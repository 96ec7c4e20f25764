import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '@waggle/errors';
import { startDnsServer, type TestDnsServer } from '../test-support/dns-server.js';
import { createNodeReverseResolver, reverseName } from './reverse-resolver.js';
import { createReverseDnsModule } from './reverse-dns-module.js';

describe('reverse DNS over a real UDP DNS server on 127.0.0.1', () => {
  let dns: TestDnsServer;
  let silent: TestDnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({
      '8.8.8.8.in-addr.arpa': ['dns.google.'],
      '5.0.0.10.in-addr.arpa': ['printer.corp.example.'],
      [reverseName('2606:4700::1')]: ['one.one.one.one.', 'ONE.one.one.one.'],
    });
    silent = await startDnsServer({}, true);
  });
  afterAll(async () => {
    await dns.close();
    await silent.close();
  });

  it('adds the PTR names of a public address as hostname attributes', async () => {
    const module = createReverseDnsModule({ resolver: createNodeReverseResolver({ servers: [dns.address], timeoutMs: 2000 }) });
    const r = await module.enrich({ type: 'ip-dst', value: '8.8.8.8' }, {});
    expect(r.attributes).toEqual([{ type: 'hostname', category: 'Network activity', value: 'dns.google', to_ids: false, comment: 'waggle-enrich: PTR of 8.8.8.8' }]);
    const v6 = await module.enrich({ type: 'ip-src|port', value: '2606:4700::1|53' }, {});
    expect(v6.attributes.map((a) => a.value)).toEqual(['one.one.one.one']);
  });

  it('answers nothing for a name without PTR (NXDOMAIN)', async () => {
    const module = createReverseDnsModule({ resolver: createNodeReverseResolver({ servers: [dns.address], timeoutMs: 2000 }) });
    expect((await module.enrich({ type: 'ip-src', value: '9.9.9.9' }, {})).attributes).toEqual([]);
  });

  it('never asks about private addresses unless allowed', async () => {
    const resolver = createNodeReverseResolver({ servers: [dns.address], timeoutMs: 2000 });
    const before = dns.questions.length;
    expect((await createReverseDnsModule({ resolver }).enrich({ type: 'ip-src', value: '10.0.0.5' }, {})).attributes).toEqual([]);
    expect(dns.questions.length).toBe(before);
    const allowed = await createReverseDnsModule({ resolver, allowNonPublic: true }).enrich({ type: 'ip-src', value: '10.0.0.5' }, {});
    expect(allowed.attributes.map((a) => a.value)).toEqual(['printer.corp.example']);
    expect(dns.questions.slice(before)).toEqual(['5.0.0.10.in-addr.arpa']);
  });

  it('fails as unavailable (retryable) when the resolver does not answer in time', async () => {
    const module = createReverseDnsModule({ resolver: createNodeReverseResolver({ servers: [silent.address], timeoutMs: 100 }) });
    const error = await module.enrich({ type: 'ip-dst', value: '8.8.4.4' }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).retryable).toBe(true);
    expect(silent.questions).toContain('4.4.8.8.in-addr.arpa');
  });

  it('builds PTR query names', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::567:89ab')).toBe('b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(() => reverseName('nope')).toThrow(InputError);
  });

  it('rejects bad configuration and malformed values', async () => {
    expect(() => createNodeReverseResolver({ servers: [], timeoutMs: 100 })).toThrow(InputError);
    expect(() => createNodeReverseResolver({ servers: ['dns.google'], timeoutMs: 100 })).toThrow(/must be an IP address/);
    expect(() => createNodeReverseResolver({ servers: ['127.0.0.1:99999'], timeoutMs: 100 })).toThrow(InputError);
    expect(() => createNodeReverseResolver({ servers: ['127.0.0.1'], timeoutMs: 0 })).toThrow(/timeout/);
    const module = createReverseDnsModule({ resolver: createNodeReverseResolver({ servers: [dns.address], timeoutMs: 2000 }) });
    await expect(module.enrich({ type: 'ip-dst', value: 'example.com' }, {})).rejects.toThrow(InputError);
  });
});
