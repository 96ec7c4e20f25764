import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyStore, parsePolicy } from '@waggle/privacy';
import { parseUmaChallenge } from '@waggle/uma';
import { addOrgUser, startTestServer, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';
import { idTokenParams, startUmaFixture, tokenRequest, umaTicketParams, type UmaFixture } from '../../../uma/src/test-support/uma-fixture.js';
import { createUmaEventGate } from './uma-event-gate.js';

interface Answer { status: number; json: Record<string, unknown>; headers: Headers }

async function get(base: string, path: string, auth: string | undefined, method = 'GET'): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { method, headers: { accept: 'application/json', ...(auth !== undefined ? { authorization: auth } : {}) } });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

function ticketOf(a: Answer): string {
  const header = a.headers.get('www-authenticate') ?? '';
  const challenge = parseUmaChallenge(header);
  if (challenge === undefined) throw new Error(`no UMA challenge in "${header}"`);
  return challenge.ticket;
}

describe.each(['uma', 'either'] as const)('UMA on event reads (mode %s)', (mode) => {
  let uma: UmaFixture;
  let s: TestServer;
  let base: string;
  let producer: string;
  let consumer: string;
  let outsider: string;
  let eventId: string;
  let otherEventId: string;
  let unmanagedId: string;

  const addEvent = async (key: string, info: string): Promise<string> => {
    const r = await s.call('POST', '/events/add', {
      info, distribution: '1', threat_level_id: '2', analysis: '0',
      Attribute: [
        { type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', distribution: '5' },
        { type: 'ip-src', category: 'Network activity', value: '10.0.0.9', distribution: '0', comment: 'victim, organisation only' },
      ],
    }, key);
    expect(r.status).toBe(200);
    return String((r.json as { Event: { id: string } }).Event.id);
  };
  const rptFor = async (ticket: string, claims: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> =>
    tokenRequest(uma, umaTicketParams(ticket, idTokenParams(await uma.idToken(claims))));

  beforeAll(async () => {
    uma = await startUmaFixture();
    const gate = createUmaEventGate({ mode, realm: 'waggle', owners: [{ org: 'Producer', rs: uma.rs }] });
    s = await startTestServer('sqlite', {}, { uma: gate });
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
    producer = (await addOrgUser(s, 'Producer')).key;
    consumer = (await addOrgUser(s, 'Consumer')).key;
    outsider = (await addOrgUser(s, 'Unmanaged')).key;
    eventId = await addEvent(producer, 'Intrusion at a substation');
    otherEventId = await addEvent(producer, 'Second intrusion');
    unmanagedId = await addEvent(outsider, 'Not under UMA');
    const r = await get(base, `/uma/events/${eventId}/resource`, producer);
    expect(r.status).toBe(200);
    await uma.rs.setPolicy(String(r.json.resource_id), { rules: [{ scopes: ['read'], allow: [{ sector: 'energy' }] }] });
  });
  afterAll(async () => {
    await s.close();
    await uma.close();
  });

  it('lets the producer read its own event with its key and tells it the resource id', async () => {
    expect((await get(base, `/events/view/${eventId}`, producer)).status).toBe(200);
    const again = await get(base, `/uma/events/${eventId}/resource`, producer);
    const first = await get(base, `/uma/events/${eventId}/resource`, s.adminKey);
    expect(again.json.resource_id).toBe(first.json.resource_id);
    // Another organisation: refused; in "uma" mode its key does not even find the event.
    expect((await get(base, `/uma/events/${eventId}/resource`, consumer)).status).toBe(mode === 'uma' ? 404 : 403);
    expect((await get(base, `/uma/events/${unmanagedId}/resource`, outsider)).status).toBe(400);
  });

  it('answers a request without an RPT by MISP rules or a UMA challenge', async () => {
    const r = await get(base, `/events/view/${eventId}`, consumer);
    // Without any credential the event's resource server challenges in both modes.
    const anonymous = await get(base, `/events/view/${eventId}`, undefined);
    expect(anonymous.status).toBe(401);
    expect(ticketOf(anonymous)).not.toBe('');
    if (mode === 'either') {
      expect(r.status).toBe(200);
      return;
    }
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^UMA realm="waggle", as_uri="http:\/\/127\.0\.0\.1:\d+", ticket="[^"]+"$/);
  });

  it('serves the event to an RPT the producer\'s policy granted, without organisation-only data', async () => {
    const challenge = await get(base, `/events/view/${eventId}`, 'Bearer a.b.c');
    expect(challenge.status).toBe(401);
    const token = await rptFor(ticketOf(challenge), { sub: 'bob', org: 'Consumer', sector: 'energy' });
    expect(token.status).toBe(200);
    const rpt = `Bearer ${String(token.body.access_token)}`;
    const view = await get(base, `/events/view/${eventId}`, rpt);
    expect(view.status).toBe(200);
    const event = view.json.Event as { info: string; Attribute: { value: string }[]; RelatedEvent?: unknown };
    expect(event.info).toBe('Intrusion at a substation');
    expect(event.Attribute.map((a) => a.value)).toEqual(['198.51.100.7']);
    expect(event.RelatedEvent).toBeUndefined();
    expect(JSON.stringify(view.json)).not.toContain('10.0.0.9');
    const native = await get(base, `/api/v1/events/${eventId}`, rpt);
    expect(native.status).toBe(200);
    expect(JSON.stringify(native.json)).toContain('198.51.100.7');
    expect((await get(base, `/events/view/${eventId}`, rpt, 'HEAD')).status).toBe(200);
    // The RPT covers that event only: another event of the same producer needs its own.
    const other = await get(base, `/events/view/${otherEventId}`, rpt);
    expect(other.status).toBe(401);
    expect(ticketOf(other)).not.toBe('');
    // A tampered RPT is refused with a fresh challenge.
    const tampered = await get(base, `/events/view/${eventId}`, `${rpt.slice(0, -4)}AAAA`);
    expect(tampered.status).toBe(401);
  });

  it('refuses requesting parties the policy does not name', async () => {
    const challenge = await get(base, `/events/view/${eventId}`, 'Bearer a.b.c');
    const token = await rptFor(ticketOf(challenge), { sub: 'eve', org: 'Elsewhere', sector: 'finance' });
    expect(token.status).toBe(403);
    expect(token.body.error).toBe('request_denied');
  });

  it('leaves events of producers without UMA to MISP rules, and refuses RPTs for them', async () => {
    expect((await get(base, `/events/view/${unmanagedId}`, outsider)).status).toBe(200);
    const r = await get(base, `/events/view/${unmanagedId}`, 'Bearer a.b.c');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.json)).toContain('does not grant access through UMA');
    // Distribution 1 (community): another local organisation reads it under MISP rules.
    expect((await get(base, `/events/view/${unmanagedId}`, consumer)).status).toBe(200);
    // Unknown events: the handler answers as MISP does for a caller it cannot authenticate.
    expect((await get(base, `/events/view/999999`, 'Bearer a.b.c')).status).toBe(403);
  });
  it('keeps searches, indexes, correlations and sightings in agreement with events/view', async () => {
    // The consumer's own event shares the producer's address, so correlation would name the producer's events.
    const own = await s.call('POST', '/events/add', { info: 'Consumer sees the same address', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.7' }] }, consumer);
    expect(own.status).toBe(200);
    const ownId = String((own.json as { Event: { id: string } }).Event.id);
    const infos = async (path: string, key: string, body: Record<string, unknown> = {}): Promise<string[]> => {
      const r = await s.call('POST', path, body, key);
      expect(r.status, r.text).toBe(200);
      const json = r.json as { response?: { Event: { info: string } }[] } | { info: string }[];
      return (Array.isArray(json) ? json.map((e) => e.info) : (json.response ?? []).map((e) => e.Event.info)).sort();
    };
    const values = async (key: string): Promise<string[]> => {
      const r = await s.call('POST', '/attributes/restSearch', { value: '198.51.100.7', includeEventUuid: 1 }, key);
      expect(r.status).toBe(200);
      return ((r.json as { response: { Attribute: { event_id: string }[] } }).response.Attribute).map((a) => a.event_id).sort();
    };
    const related = async (key: string): Promise<string[]> => {
      const r = await s.call('GET', `/events/view/${ownId}`, undefined, key);
      expect(r.status).toBe(200);
      return ((r.json as { Event: { RelatedEvent?: { Event: { id: string } }[] } }).Event.RelatedEvent ?? []).map((e) => e.Event.id).sort();
    };
    const producerEvents = ['Intrusion at a substation', 'Second intrusion'];
    if (mode === 'uma') {
      // Another organisation's key finds none of the producer's events, wherever it looks.
      expect(await infos('/events/index', consumer)).toEqual(['Consumer sees the same address', 'Not under UMA']);
      expect(await infos('/events/restSearch', consumer, { value: '198.51.100.7' })).toEqual(['Consumer sees the same address', 'Not under UMA']);
      expect(await values(consumer)).toEqual([ownId, unmanagedId].sort());
      expect(await related(consumer)).toEqual([unmanagedId]);
      const sighting = await s.call('POST', '/sightings/add', { value: '198.51.100.7' }, consumer);
      expect(sighting.status).toBe(200);
      const listed = await s.call('POST', `/sightings/list_sightings/${eventId}/event`, {}, consumer);
      expect(JSON.stringify(listed.json)).not.toContain('"event_id":"' + eventId + '"');
    } else {
      // "either": MISP keys keep MISP's rules everywhere.
      expect(await infos('/events/index', consumer)).toEqual(['Consumer sees the same address', 'Not under UMA', ...producerEvents].sort());
      expect(await values(consumer)).toHaveLength(4);
    }
    // The producer and site administrators see everything in both modes.
    expect(await infos('/events/index', producer)).toEqual(['Consumer sees the same address', 'Not under UMA', ...producerEvents].sort());
    expect(await infos('/events/index', s.adminKey)).toEqual(['Consumer sees the same address', 'Not under UMA', ...producerEvents].sort());
    expect((await related(producer)).length).toBe(3);
  });
  it('in mode uma, leaves the producer\'s events out of pushes to other organisations\' servers and of exported feeds', async () => {
    const other = await startTestServer('sqlite');
    try {
      const otherUrl = await listen(other);
      const syncOnOther = await addOrgUser(other, 'PushReceiver', 5);
      const publish = async (key: string, info: string): Promise<string> => {
        const r = await s.call('POST', '/events/add', { info, distribution: '3', published: true, Attribute: [{ type: 'domain', value: `${info.replace(/\W+/g, '-').toLowerCase()}.example` }] }, key);
        expect(r.status, r.text).toBe(200);
        expect((await s.call('POST', `/events/publish/${String((r.json as { Event: { id: string } }).Event.id)}`)).status).toBe(200);
        return String((r.json as { Event: { uuid: string } }).Event.uuid);
      };
      const producerEvent = await publish(producer, 'Producer pushes nothing');
      const openEvent = await publish(outsider, 'Unmanaged pushes freely');
      const server = await s.call('POST', '/servers/add', { Server: { name: 'other', url: otherUrl, authkey: syncOnOther.key, push: true, remote_org_id: 1 } });
      expect(server.status, server.text).toBe(200);
      const pushed = await s.call('POST', `/servers/push/${String((server.json as { Server: { id: string } }).Server.id)}/full`);
      expect((pushed.json as { success: boolean }).success).toBe(true);
      const there = async (uuid: string): Promise<number> => (await other.call('GET', `/events/view/${uuid}`)).status;
      expect(await there(openEvent)).toBe(200);
      expect(await there(producerEvent)).toBe(mode === 'uma' ? 404 : 200);
      // Feeds exported here: the same rule.
      const dir = mkdtempSync(join(tmpdir(), 'waggle-uma-feed-'));
      try {
        await s.services.feeds.export(dir, await s.services.auth.authenticate(s.adminKey, '127.0.0.1'), {});
        const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
        expect(Object.keys(manifest)).toContain(openEvent);
        expect(Object.keys(manifest).includes(producerEvent)).toBe(mode !== 'uma');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await other.close();
    }
  });
});

describe('UMA reads under outbound anonymisation', () => {
  let uma: UmaFixture;
  let s: TestServer;
  let base: string;
  let eventId: string;

  beforeAll(async () => {
    uma = await startUmaFixture();
    const gate = createUmaEventGate({ mode: 'uma', realm: 'waggle', owners: [{ org: 'Producer', rs: uma.rs }] });
    // Energy partners get addresses cut to their /16; nobody else has a section (no catch-all).
    const policy = parsePolicy([
      'version: 1', 'name: uma-test', 'recipients:',
      '  - name: energy-partners', '    match: { organisation: [Consumer] }', '    default: keep',
      '    rules:', '      - match: { type: [ip-dst] }', '        action: { technique: truncate, prefix: 16 }',
    ].join('\n'));
    const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
    s = await startTestServer('sqlite', {}, { uma: gate, privacy: { policy, keys } });
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${String((s.app.server.address() as { port: number }).port)}`;
    const producer = (await addOrgUser(s, 'Producer')).key;
    const r = await s.call('POST', '/events/add', { info: 'Anonymised for UMA readers', distribution: '1', Attribute: [{ type: 'ip-dst', category: 'Network activity', value: '198.51.100.7' }] }, producer);
    eventId = String((r.json as { Event: { id: string } }).Event.id);
    const resource = await get(base, `/uma/events/${eventId}/resource`, producer);
    await uma.rs.setPolicy(String(resource.json.resource_id), { rules: [{ scopes: ['read'], allow: [{ sector: 'energy' }] }] });
  });
  afterAll(async () => {
    await s.close();
    await uma.close();
  });

  const rptOf = async (claims: Record<string, unknown>): Promise<string> => {
    const challenge = await get(base, `/events/view/${eventId}`, undefined);
    const token = await tokenRequest(uma, umaTicketParams(ticketOf(challenge), idTokenParams(await uma.idToken(claims))));
    expect(token.status).toBe(200);
    return `Bearer ${String(token.body.access_token)}`;
  };

  it('serves a requesting party the section of its organisation', async () => {
    const view = await get(base, `/events/view/${eventId}`, await rptOf({ sub: 'bob', org: 'Consumer', sector: 'energy' }));
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.json)).not.toContain('198.51.100.7');
    expect((view.json.Event as { Attribute: { value: string }[] }).Attribute.map((a) => a.value)).toEqual(['198.51.0.0']);
  });

  it('refuses a requesting party the policy has no section for, even with a valid RPT', async () => {
    const rpt = await rptOf({ sub: 'carol', org: 'Bystander', sector: 'energy' });
    const view = await get(base, `/events/view/${eventId}`, rpt);
    expect(view.status).toBe(403);
    expect(JSON.stringify(view.json)).toContain('no section for this requesting party (organisation Bystander)');
    expect(JSON.stringify(view.json)).not.toContain('198.51');
    expect((await get(base, `/events/view/${eventId}`, rpt, 'HEAD')).status).toBe(403);
  });
});
