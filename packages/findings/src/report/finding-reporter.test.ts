import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, Secret } from '@waggle/errors';
import { createMispClient } from '@waggle/client';
import { startListeningServer, type ListeningServer } from '../../../server/src/test-support/listening-server.js';
import type { Finding } from '../finding.js';
import { createFindingReporter } from './finding-reporter.js';
import { findingEventUuid } from './finding-key.js';

type J = Record<string, unknown>;

const scan: Finding = {
  srcIp: '203.0.113.66', dstIp: '192.0.2.10', dstPorts: [22, 23, 80, 443], protocol: 'tcp',
  firstSeen: '2026-12-02T10:00:00.000Z', lastSeen: '2026-12-02T10:05:00.000Z', signature: 'ET SCAN NMAP -sS window 1024', signatureId: '2009582', count: 10_000,
  attackType: { suricata: { version: '7.0.8', reference: 'gid:1 sid:2009582 rev:3', attacks: [{ attack_type: 'scan', confidence: 0.7 }] } },
  flowIds: ['1234567890123456789'],
};
const sqli: Finding = {
  srcIp: '198.51.100.23', srcPort: 44321, dstIp: '192.0.2.20', dstPort: 80, protocol: 'tcp',
  firstSeen: '2026-12-02T11:00:00.000Z', lastSeen: '2026-12-02T11:00:00.000Z', signature: 'ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT', signatureId: '2024364', count: 1,
  attackType: { suricata: { version: '7.0.8', attacks: [{ attack_type: 'sql-injection', confidence: 0.9 }] } },
};
const nextDay: Finding = { ...sqli, firstSeen: '2026-12-03T00:10:00.000Z', lastSeen: '2026-12-03T00:10:00.000Z' };

const relations = (o: J): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const a of o.Attribute as J[]) (out[String(a.object_relation)] ??= []).push(String(a.value));
  return out;
};

describe('finding reporter against a running waggle server', () => {
  let srv: ListeningServer;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<J> => {
    const r = await srv.server.call(method, path, body);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as J;
  };
  beforeAll(async () => {
    srv = await startListeningServer();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('creates one event per day with an object per finding, sights the known attacker, and is idempotent', async () => {
    const partner = await call('POST', '/events/add', { info: 'shared by a partner', Attribute: [{ type: 'ip-src', value: '203.0.113.66', to_ids: true }] });
    const known = ((partner.Event as J).Attribute as J[])[0] as J;
    const client = createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) });
    const reporter = createFindingReporter({ client, source: 'suricata@dmz', tags: ['tlp:amber'] });

    expect(await reporter.report([scan, sqli, nextDay])).toEqual({ events: 2, eventsUpdated: 0, objects: 3, unchanged: 0, sightings: 1 });

    const ev = ((await call('GET', `/events/view/${findingEventUuid('suricata@dmz', '2026-12-02')}`)).Event) as J;
    expect(ev.info).toBe('Detector findings from suricata@dmz on 2026-12-02');
    expect(((ev.Tag ?? []) as J[]).map((t) => t.name)).toEqual(['tlp:amber']);
    const objects = (ev.Object as J[]).filter((o) => o.name === 'security-event');
    expect(objects).toHaveLength(2);
    const s = relations(objects.find((o) => relations(o)['signature-id']?.[0] === '2009582') as J);
    expect(s['src-ip']).toEqual(['203.0.113.66']);
    expect(s['dst-port']?.sort()).toEqual(['22', '23', '443', '80']);
    expect(s['flow-count']).toEqual(['10000']);
    expect(s.detector).toEqual(['suricata']);
    expect(JSON.parse(s['attack-type']?.[0] ?? '{}')).toEqual(scan.attackType);

    // The partner's indicator got a sighting; no second standalone attribute was made for it.
    const search = (await call('POST', '/attributes/restSearch', { value: '203.0.113.66', includeSightings: 1 })).response as J;
    const attrs = search.Attribute as J[];
    const partnerAttr = attrs.find((a) => a.uuid === known.uuid) as J;
    expect((partnerAttr.Sighting as J[]).length).toBe(1);
    expect(((partnerAttr.Sighting as J[])[0] as J).source).toBe('suricata@dmz');
    expect(attrs.filter((a) => a.object_relation === undefined || a.object_relation === null)).toHaveLength(1);

    // The same findings again: nothing new, no second sighting.
    expect(await reporter.report([scan, sqli, nextDay])).toEqual({ events: 0, eventsUpdated: 0, objects: 0, unchanged: 3, sightings: 0 });
    const again = (await call('POST', '/attributes/restSearch', { value: '203.0.113.66', includeSightings: 1 })).response as J;
    expect(((again.Attribute as J[]).find((a) => a.uuid === known.uuid)?.Sighting as J[]).length).toBe(1);
    const events = (await call('POST', '/events/restSearch', { eventinfo: '%suricata@dmz%' })).response as J[];
    expect(events).toHaveLength(2);

    // A new finding on an existing day is added to that day's event.
    const later: Finding = { ...sqli, srcIp: '198.51.100.99', firstSeen: '2026-12-02T12:00:00.000Z', lastSeen: '2026-12-02T12:00:00.000Z' };
    expect(await reporter.report([later, scan])).toEqual({ events: 0, eventsUpdated: 1, objects: 1, unchanged: 1, sightings: 0 });
  });

  it('sends nothing when one finding is invalid', async () => {
    const client = createMispClient({ url: srv.url, key: new Secret(srv.server.adminKey) });
    const reporter = createFindingReporter({ client, source: 'bad-batch' });
    const bad = { ...sqli, srcIp: 'not-an-ip', firstSeen: '2026-12-05T00:00:00.000Z' };
    const good = { ...sqli, firstSeen: '2026-12-04T00:00:00.000Z', lastSeen: '2026-12-04T00:00:00.000Z' };
    await expect(reporter.report([good, bad])).rejects.toThrow(InputError);
    const events = (await call('POST', '/events/restSearch', { eventinfo: '%bad-batch%' })).response as J[];
    expect(events).toHaveLength(0);
  });

  it('needs a source', () => {
    const client = createMispClient({ url: srv.url, key: new Secret('x') });
    expect(() => createFindingReporter({ client, source: ' ' })).toThrow(/source/);
  });
});
