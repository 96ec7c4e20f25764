import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { freePort, startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { IP_FIXTURES } from '../../../enrich/src/test-support/test-enrichment.js';
import { copyInto, scratchDir, sharedData } from '../../../enrich/src/test-support/scratch.js';

type J = Record<string, unknown>;

describe('waggle enrich', () => {
  const scratch = scratchDir(IP_FIXTURES);
  copyInto(sharedData('misp-galaxy'), `${scratch.dir}/galaxy`, ['galaxies/mitre-attack-pattern.json', 'clusters/mitre-attack-pattern.json']);
  const ip = ['--asn-ipv4', `${scratch.dir}/ip/asn4.csv`, '--asn-ipv6', `${scratch.dir}/ip/asn6.csv`, '--country-ipv4', `${scratch.dir}/ip/cc4.csv`];
  let ls: ListeningServer;
  beforeAll(async () => {
    ls = await startListeningServer();
  });
  afterAll(async () => {
    await ls.close();
    scratch.remove();
  });
  const auth = (): string[] => ['--url', ls.url, '--key', ls.server.adminKey];
  const addEvent = async (value: string): Promise<string> =>
    ((await ls.server.call('POST', '/events/add', { info: `cli ${value}`, distribution: '0', Attribute: [{ type: 'ip-dst', value }] })).json as { Event: { id: string } }).Event.id;

  it('enriches a value with the given databases (--json)', async () => {
    const r = await runCli('enrich', 'value', '1.0.0.77', ...ip, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { type: string; merged: { objects: { name: string; Attribute: { value: string }[] }[] } };
    expect(json.type).toBe('ip-dst');
    expect(json.merged.objects.map((o) => [o.name, o.Attribute[0]?.value])).toEqual([['asn', '13335'], ['geolocation', 'AU']]);
  });

  it('uses the installed ip-location-db databases by default (human output)', async () => {
    const r = await runCli('enrich', 'value', '8.8.8.8');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^asn: object asn \{asn=\d+, subnet-announced=8\.8\./m);
    expect(r.out).toMatch(/^geolocation: object geolocation \{countrycode=[A-Z]{2}/m);
  });

  it('tags an attack type with its ATT&CK technique', async () => {
    const r = await runCli('enrich', 'value', 'ssh-bruteforce', '--type', 'text', '--no-ip-db', '--galaxies', `${scratch.dir}/galaxy`);
    expect(r.out).toBe('galaxy-context: tag misp-galaxy:mitre-attack-pattern="Brute Force - T1110"\n');
  });

  it('lists the modules in misp-modules format', async () => {
    const r = await runCli('enrich', 'modules', ...ip, '--json');
    expect((JSON.parse(r.out) as J[]).map((m) => m.name)).toEqual(['asn', 'geolocation']);
  });

  it('adds enrichment to an event once (enrich event)', async () => {
    const id = await addEvent('1.0.0.78');
    const first = await runCli('enrich', 'event', id, ...auth(), ...ip, '--json');
    expect(first.err).toBe('');
    expect((JSON.parse(first.out) as { added: J }).added).toEqual({ attributes: 0, objects: 2, tags: 0 });
    const again = await runCli('enrich', 'event', id, ...auth(), ...ip);
    expect(again.out).toMatch(/1 attributes checked; added 0 attributes, 0 objects, 0 tags/);
  });

  it('serves the misp-modules protocol until SIGTERM', async () => {
    const port = await freePort();
    const running = runCli('enrich', 'serve', '--port', String(port), ...ip);
    let modules: J[] | undefined;
    for (let i = 0; i < 100 && modules === undefined; i++) {
      modules = await fetch(`http://127.0.0.1:${String(port)}/modules`).then(async (res) => (await res.json()) as J[]).catch(() => undefined);
      if (modules === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    const answer = (await (await fetch(`http://127.0.0.1:${String(port)}/query`, { method: 'POST', body: JSON.stringify({ module: 'asn', 'ip-src': '1.0.0.5' }) })).json()) as J;
    process.emit('SIGTERM');
    const r = await running;
    expect(modules?.map((m) => m.name)).toEqual(['asn', 'geolocation']);
    expect(answer).toEqual({ results: [{ types: ['AS'], values: ['13335'] }, { types: ['ip-src'], values: ['1.0.0.0/24'] }, { types: ['text'], values: ['Cloudflare, Inc.'] }] });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`misp-modules protocol on http://127.0.0.1:${String(port)} with asn, geolocation`);
  });

  it('watch survives a lost stream, logs it, and stops on SIGINT', async () => {
    const objectsOf = async (id: string): Promise<number> => (((await ls.server.call('GET', `/events/view/${id}`)).json as { Event: { Object?: unknown[] } }).Event.Object ?? []).length;
    const enriched = async (id: string): Promise<void> => {
      for (let i = 0; i < 300 && (await objectsOf(id)) < 2; i++) await new Promise((r) => setTimeout(r, 50));
    };
    // --since catches up at start, so the first event is enriched whether it comes before or after the stream opens.
    const running = runCli('enrich', 'watch', ...auth(), ...ip, '--since', '1000000000', '--max-reconnect-delay', '1');
    const first = await addEvent('1.0.0.94');
    await enriched(first);
    ls.server.app.server.closeAllConnections();
    const second = await addEvent('1.0.0.95');
    await enriched(second);
    process.emit('SIGINT');
    const r = await running;
    expect(await objectsOf(first)).toBe(2);
    expect(await objectsOf(second)).toBe(2);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: event stream lost: .*; reconnecting in \d+\.\d s/);
    expect(r.err).toMatch(/stopped: [1-9]\d* disconnects, \d+ events caught up/);

    const refused = await runCli('enrich', 'watch', '--url', ls.url, '--key', 'x'.repeat(40), ...ip);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/HTTP 403/);
  });

  it('fails clearly on bad input, writing nothing to stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['enrich', 'value', '1.2.3.4', ...ip, '--module', 'nope'], /unknown enrichment module "nope"; available: asn, geolocation/],
      [['enrich', 'value', 'd41d8cd98f00b204e9800998ecf8427e', ...ip], /no enrichment module accepts attribute type "md5"/],
      [['enrich', 'value', '999.1.1.1', '--type', 'ip-src', ...ip], /"999.1.1.1" is not a valid ip-src value/],
      [['enrich', 'value', 'what is this', ...ip], /cannot tell the attribute type/],
      [['enrich', 'value', '1.2.3.4', '--warninglists', '/nonexistent/wl'], /warninglists folder \/nonexistent\/wl does not exist/],
      [['enrich', 'value', '1.2.3.4', '--resolver', 'dns.example'], /must be an IP address/],
      [['enrich', 'value', '1.2.3.4', '--dns-timeout', 'soon'], /--dns-timeout must be a positive number/],
      [['enrich', 'event', '1', ...ip], /--url of the waggle server is needed/],
      [['enrich', 'serve', '--port', '70000', ...ip], /--port must be 0-65535/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe('');
    }
    const missing = await runCli('enrich', 'event', '999999', ...auth(), ...ip);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  });
});
