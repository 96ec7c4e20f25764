import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMispClient } from '@waggle/client';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import { createEventApi, type EventApi, type ServerEvent } from '../correlation/event-api.js';
import { createCorrelationModule } from '../correlation/correlation-module.js';
import { createModuleRegistry } from '../registry.js';
import { testEnrichment } from '../test-support/test-enrichment.js';
import { enrichEvent } from './enrich-event.js';

type J = Record<string, unknown>;
const RECORD = JSON.stringify({ ids: { version: '1', attacks: [{ attack_type: 'ssh-bruteforce', confidence: 0.9 }] } });

describe('enrichEvent against a real waggle server', () => {
  const setup = testEnrichment();
  let ls: ListeningServer;
  let api: EventApi;
  beforeAll(async () => {
    ls = await startListeningServer();
    api = createEventApi(createMispClient({ url: ls.url, key: new Secret(ls.server.adminKey) }));
  });
  afterAll(async () => {
    await ls.close();
    setup.remove();
  });
  const addEvent = async (info: string, body: J): Promise<{ id: string; uuid: string }> => {
    const r = await ls.server.call('POST', '/events/add', { info, distribution: '0', ...body });
    expect(r.status).toBe(200);
    return (r.json as { Event: { id: string; uuid: string } }).Event;
  };
  const view = async (id: string): Promise<ServerEvent> => api.getEvent(id);
  const tagsOf = (event: ServerEvent, value: string): string[] =>
    [...(event.Attribute ?? []), ...(event.Object ?? []).flatMap((o) => o.Attribute ?? [])].filter((a) => a.value === value).flatMap((a) => (a.Tag ?? []).map((t) => t.name));

  it('adds objects, notes and tags, and adds nothing the second time', async () => {
    const ev = await addEvent('enrich me', {
      Attribute: [
        { type: 'ip-dst', value: '1.0.0.7' },
        { type: 'vulnerability', value: 'CVE-2021-44228' },
        { type: 'ip-src', value: '8.8.8.8' },
        { type: 'md5', value: 'b1946ac92492d2347c6235b4d2611184' },
      ],
      Object: [{ name: 'security-event', Attribute: [{ object_relation: 'attack-type', type: 'text', value: RECORD }, { object_relation: 'src-ip', type: 'ip-src', value: '2001:200::5' }] }],
    });
    const first = await enrichEvent({ api, registry: setup.registry }, ev.id);
    expect(first.eventUuid).toBe(ev.uuid);
    expect(first.problems).toEqual([]);
    const after = await view(ev.id);
    // The CVE may also be named by threat-actor clusters of the galaxy snapshot: those tags count too.
    const cveTags = tagsOf(after, 'CVE-2021-44228');
    for (const t of cveTags) expect(t).toMatch(/^misp-galaxy:threat-actor="/);
    expect(first.added).toEqual({ attributes: 1, objects: 5, tags: 2 + cveTags.length });

    const objects = (after.Object ?? []).map((o) => `${o.name}: ${(o.Attribute ?? []).map((a) => a.value).slice(0, 2).join(' ')}`).sort();
    expect(objects).toEqual([
      'asn: 13335 1.0.0.0/24',
      'asn: 2500 2001:200::/32',
      'geolocation: AU Australia',
      'geolocation: JP Japan',
      'security-event: ' + RECORD + ' 2001:200::5',
      'vulnerability: CVE-2021-44228 Apache Log4j2 JNDI features do not protect against attacker controlled LDAP endpoints',
    ].sort());
    expect(tagsOf(after, '8.8.8.8')).toEqual(['false-positive:risk="high"']);
    expect(tagsOf(after, RECORD)).toEqual(['misp-galaxy:mitre-attack-pattern="Brute Force - T1110"']);
    expect((after.Attribute ?? []).filter((a) => a.comment === 'waggle-enrich: warninglist hint')).toHaveLength(1);

    const again = await enrichEvent({ api, registry: setup.registry }, ev.uuid);
    expect(again.added).toEqual({ attributes: 0, objects: 0, tags: 0 });
    const unchanged = await view(ev.id);
    expect((unchanged.Attribute ?? []).length).toBe((after.Attribute ?? []).length);
    expect((unchanged.Object ?? []).length).toBe((after.Object ?? []).length);
  });

  it('notes the other events that hold a value (correlation), never the event itself', async () => {
    const a = await addEvent('first sighting', { Attribute: [{ type: 'domain', value: 'shared.example.org' }] });
    const b = await addEvent('second sighting', { Attribute: [{ type: 'domain', value: 'shared.example.org' }] });
    const registry = createModuleRegistry([createCorrelationModule({ searchValue: (v) => api.searchValue(v) })]);
    const report = await enrichEvent({ api, registry }, b.id);
    expect(report.added.attributes).toBe(1);
    const notes = ((await view(b.id)).Attribute ?? []).filter((x) => x.comment === 'waggle-enrich: correlation').map((x) => x.value);
    expect(notes).toEqual([`shared.example.org also in event ${a.uuid}: first sighting`]);
    expect((await enrichEvent({ api, registry }, b.id)).added.attributes).toBe(0);
  });

  it('reports a value a module cannot handle and goes on with the rest', async () => {
    const ev = await addEvent('one network', { Attribute: [{ type: 'ip-src', value: '10.0.0.0/8' }, { type: 'text', value: 'portscan' }] });
    const report = await enrichEvent({ api, registry: setup.registry }, ev.id);
    expect(report.problems).toEqual([
      'ip-src 10.0.0.0/8: asn: "10.0.0.0/8" is not a valid ip-src value (a single address is needed, not a network)',
      'ip-src 10.0.0.0/8: geolocation: "10.0.0.0/8" is not a valid ip-src value (a single address is needed, not a network)',
    ]);
    expect(report.added.tags).toBe(1);
    expect(tagsOf(await view(ev.id), 'portscan')).toEqual(['misp-galaxy:mitre-attack-pattern="Network Service Discovery - T1046"']);
  });

  it('rejects a malformed event id and reports an unknown event, changing nothing', async () => {
    await expect(enrichEvent({ api, registry: setup.registry }, '1; drop')).rejects.toThrow(InputError);
    await expect(enrichEvent({ api, registry: setup.registry }, '999999')).rejects.toThrow(NotFoundError);
  });
});
