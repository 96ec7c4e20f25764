import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { versionForCaller } from '../misc.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Requests exactly as a stock MISP 2.4/2.5 sends them to a remote server (ServerSyncTool,
// Server::runConnectionTest, Server::pull/push, Event::uploadEventToServer).
describe.each(testEngines())('a stock MISP syncing with waggle (%s)', (engine) => {
  let s: TestServer;
  let sync: { key: string; orgId: number };
  let user: { key: string };
  const remoteOrg = { name: 'MispRemoteOrg', uuid: '5f0c3c7e-1111-4a2b-9c3d-0000000000aa' };

  async function misp(method: string, url: string, body?: unknown, key = sync.key, ua = 'MISP 2.4.190 - #0123abcd'): Promise<{ status: number; json: J; text: string; headers: Record<string, unknown> }> {
    const r = await s.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: key, accept: 'application/json', 'content-type': 'application/json', 'user-agent': ua },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: r.statusCode, json: (r.body === '' ? undefined : JSON.parse(r.body)) as J, text: r.body, headers: r.headers };
  }

  async function publishedEvent(info: string): Promise<J> {
    const r = await s.call('POST', '/events/add', { info, distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.20', distribution: '5' }] });
    expect(r.status, r.text).toBe(200);
    const ev = (r.json as J).Event;
    expect((await s.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    return ev;
  }

  const pushed = (uuid: string, timestamp: number): J => ({
    Event: {
      uuid, info: 'pushed by MISP', distribution: '1', date: '2024-01-01', threat_level_id: '4', analysis: '0', published: true,
      timestamp: String(timestamp), publish_timestamp: String(timestamp), locked: 1, Orgc: { ...remoteOrg, local: true },
      Attribute: [{ uuid: `${uuid.slice(0, 24)}00000000a1a1`, type: 'ip-dst', category: 'Network activity', value: '203.0.113.9', to_ids: true, distribution: '5', timestamp: String(timestamp), deleted: false }],
    },
  });

  beforeAll(async () => {
    s = await startTestServer(engine);
    sync = await addOrgUser(s, `MispPeer${engine}`, 5);
    user = await addOrgUser(s, `PlainOrg${engine}`, 3);
  });
  afterAll(async () => {
    await s.close();
  });

  describe('test connection', () => {
    it('getVersion: a version MISP accepts (same major.minor), and the capability flags it reads', async () => {
      for (const [ua, expected] of [['MISP 2.4.190 - #abc', '2.4.190'], ['MISP 2.4.150', '2.4.170'], ['MISP 2.5.7 - #abc', '2.5.7']] as const) {
        const r = await misp('GET', '/servers/getVersion', undefined, sync.key, ua);
        expect(r.status, r.text).toBe(200);
        expect(r.json.version).toBe(expected);
        expect(r.json).toMatchObject({ perm_sync: true, perm_sighting: true, perm_galaxy_editor: expect.any(Boolean), perm_analyst_data: false, request_encoding: [], filter_sightings: true });
      }
      // Older MISPs name their version in MISP-version; PyMISP and others get MISP_API_VERSION.
      expect(versionForCaller('HttpSocket', '2.4.160')).toBe('2.4.170');
      expect(versionForCaller('PyMISP 2.5.2 - Python 3.11', undefined)).toBe('2.5.2');
      expect(versionForCaller('MISP 3.0.0', undefined)).toBe('2.5.2');
      const plain = await misp('GET', '/servers/getVersion', undefined, user.key);
      expect(plain.json.perm_sync).toBe(false);
    });

    it('a server URL saved with a trailing slash (requests start with "//") reaches the same routes', async () => {
      const r = await misp('GET', '//servers/getVersion');
      expect(r.status, r.text).toBe(200);
      expect(r.json.version).toBe('2.4.190');
      expect((await misp('POST', '//servers/postTest', { testString: 'a' })).json.body).toEqual({ testString: 'a' });
    });

    it('postTest echoes the test string and the Accept and Content-type headers MISP checks', async () => {
      const testString = 'x'.repeat(2000);
      const r = await misp('POST', '/servers/postTest', { testString });
      expect(r.status, r.text).toBe(200);
      expect(r.json.body.testString).toBe(testString);
      expect(r.json.headers.Accept).toBe('application/json');
      expect(r.json.headers['Content-type']).toBe('application/json');
      expect((await misp('POST', '/servers/postTest', { testString }, 'z'.repeat(40))).status).toBe(403);
    });

    it('users/view/me.json names the user, the role and its sync flag', async () => {
      const r = await misp('GET', '/users/view/me.json');
      expect(r.status, r.text).toBe(200);
      expect(r.json.User.email).toMatch(/@/);
      expect(r.json.Role.name).toBe('Sync user');
      expect(r.json.Role.perm_sync).toBe(true);
    });
  });

  describe('pull', () => {
    it('events/index (minimal, published) and events/view with deleted[] named parameters', async () => {
      await publishedEvent('correlates with the next one');
      const ev = await publishedEvent('for a MISP pull');
      const index = await misp('POST', '/events/index', { minimal: 1, published: 1 });
      expect(index.status, index.text).toBe(200);
      const row = (index.json as unknown as J[]).find((e) => e.uuid === ev.uuid);
      expect(row).toMatchObject({ uuid: ev.uuid, published: true, timestamp: expect.any(String), sighting_timestamp: expect.any(String) });

      const view = await misp('GET', `/events/view/${String(ev.uuid)}/deleted[]:0/deleted[]:1/excludeGalaxy:1/includeEventCorrelations:0/includeFeedCorrelations:0/includeWarninglistHits:0/excludeLocalTags:1`);
      expect(view.status, view.text).toBe(200);
      expect(view.json.Event.uuid).toBe(ev.uuid);
      expect(view.json.Event.Attribute).toHaveLength(1);
      // includeEventCorrelations:0 after the deleted[] parameters still applies.
      expect(view.json.Event.RelatedEvent ?? []).toEqual([]);
      expect((await misp('GET', `/events/view/${String(ev.uuid)}/deleted[]:0/deleted[]:1`)).json.Event.RelatedEvent).toHaveLength(1);
    });

    it('deleted[] named parameters include deleted attributes', async () => {
      const ev = await publishedEvent('deleted attribute travels');
      const attributeId = String(ev.Attribute[0].id);
      expect((await s.call('POST', `/attributes/delete/${attributeId}`)).status).toBe(200);
      const view = await misp('GET', `/events/view/${String(ev.uuid)}/deleted[]:0/deleted[]:1/excludeGalaxy:1`);
      expect(view.status, view.text).toBe(200);
      expect(view.json.Event.Attribute.map((a: J) => a.deleted)).toEqual([true]);
    });

    it('events/index applies pull rules as MISP sends them (tag and org lists, "!" for NOT)', async () => {
      const r = await s.call('POST', '/events/add', { info: 'tagged for pull rules', distribution: '1', Tag: [{ name: 'tlp:green' }], Attribute: [{ type: 'domain', value: 'rules.example' }] });
      expect(r.status, r.text).toBe(200);
      const ev = (r.json as J).Event;
      expect((await s.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
      const uuids = async (rules: J): Promise<string[]> => ((await misp('POST', '/events/index', { ...rules, minimal: 1, published: 1 })).json as unknown as J[]).map((e) => String(e.uuid));
      expect(await uuids({ tag: ['tlp:green'] })).toEqual([ev.uuid]);
      expect(await uuids({ tag: ['!tlp:green'] })).not.toContain(ev.uuid);
      expect(await uuids({ org: [ev.Orgc.name] })).toContain(ev.uuid);
      expect(await uuids({ org: [`!${String(ev.Orgc.uuid)}`] })).not.toContain(ev.uuid);
    });

    it('sightings: restSearch/event answers {response: [{Sighting: {event_uuid, …}}]}, bulkSaveSightings stores by uuid', async () => {
      const ev = await publishedEvent('sighted');
      const attribute = ev.Attribute[0];
      const own = await misp('POST', '/sightings/add', { id: attribute.id, source: 'misp-peer' });
      expect(own.status, own.text).toBe(200);
      const r = await misp('POST', '/sightings/restSearch/event', { returnFormat: 'json', last: 0, includeUuid: true, uuid: [ev.uuid] });
      expect(r.status, r.text).toBe(200);
      expect(r.json.response).toHaveLength(1);
      expect(r.json.response[0].Sighting).toMatchObject({ event_uuid: ev.uuid, attribute_uuid: attribute.uuid, uuid: expect.any(String), date_sighting: expect.any(String), Organisation: { uuid: expect.any(String), name: expect.any(String) } });

      const sightingUuid = '5f0c3c7e-4444-4a2b-9c3d-000000000001';
      const known = await misp('POST', `/sightings/filterSightingUuidsForPush/${String(ev.uuid)}`, [sightingUuid, r.json.response[0].Sighting.uuid]);
      expect(known.json).toEqual([r.json.response[0].Sighting.uuid]);
      const bulk = await misp('POST', `/sightings/bulkSaveSightings/${String(ev.uuid)}`, [{ uuid: sightingUuid, attribute_uuid: attribute.uuid, type: '0', source: 'misp', date_sighting: '1700000300', org_id: '0', Organisation: remoteOrg }]);
      expect(bulk.status, bulk.text).toBe(200);
      const again = await misp('POST', '/sightings/restSearch/event', { returnFormat: 'json', last: 0, includeUuid: true, uuid: [ev.uuid] }, s.adminKey);
      expect((again.json.response as J[]).map((x) => x.Sighting.uuid)).toContain(sightingUuid);
    });

    it('proposals: shadow_attributes/index answers the proposals the peer may see (none here)', async () => {
      const r = await misp('GET', '/shadow_attributes/index/all:1/timestamp:1700000000/limit:1000/page:1/deleted[]:0/deleted[]:1.json');
      expect(r.status, r.text).toBe(200);
      expect(r.json).toEqual([]);
    });
  });

  describe('push', () => {
    it('filterEventIdsForPush keeps events missing here or older here, drops newer copies and blocked events', async () => {
      const mine = await publishedEvent('already here');
      const absent = '5f0c3c7e-2222-4a2b-9c3d-000000000001';
      const blocked = '5f0c3c7e-2222-4a2b-9c3d-000000000002';
      expect((await s.call('POST', '/event_blocklists/add', { uuids: [blocked], comment: 'no' })).status).toBeLessThan(300);
      const offer = [
        { Event: { uuid: absent, timestamp: '1700000000', sighting_timestamp: '0', orgc_id: '7' }, EventTag: [] },
        { Event: { uuid: mine.uuid, timestamp: '1', sighting_timestamp: '0', orgc_id: '7' }, EventTag: [] },
        { Event: { uuid: blocked, timestamp: '1700000000' } },
      ];
      const r = await misp('POST', '/events/filterEventIdsForPush', offer);
      expect(r.status, r.text).toBe(200);
      expect(r.json).toEqual([absent]);
      // A newer copy of an event created here by another organisation: the pusher could not overwrite it.
      const newer = await misp('POST', '/events/filterEventIdsForPush', [{ Event: { uuid: mine.uuid, timestamp: '9999999999' } }]);
      expect(newer.json).toEqual([]);
      // Only sync users may ask (MISP checks perm_sync).
      expect((await misp('POST', '/events/filterEventIdsForPush', offer, user.key)).status).toBe(403);
      expect((await misp('POST', '/events/filterEventIdsForPush', { Event: {} })).status).toBe(400);
    });

    it('accepts a full event as MISP pushes it (tags, object with references, ids left in, sightings inside)', async () => {
      const u = (n: number): string => `5f0c3c7e-5555-4a2b-9c3d-${String(n).padStart(12, '0')}`;
      const ts = '1714560000';
      const attr = (n: number, extra: J): J => ({ type: 'ip-dst', category: 'Network activity', to_ids: true, uuid: u(n), event_id: '12', distribution: '5', timestamp: ts, comment: '', sharing_group_id: '0', deleted: false, disable_correlation: false, object_id: '0', object_relation: null, first_seen: null, last_seen: null, ...extra });
      const tag = { id: '5', name: 'tlp:green', colour: '#339900', exportable: true, user_id: '0', hide_tag: false, numerical_value: null, is_galaxy: false, is_custom_galaxy: false, local_only: false, local: 0, relationship_type: null };
      const event = {
        Event: {
          id: '12', date: '2024-05-01', info: 'MISP-shaped push', uuid: u(1), published: true, analysis: '2', attribute_count: '3', timestamp: ts, distribution: '2',
          proposal_email_lock: false, locked: true, threat_level_id: '2', publish_timestamp: ts, sighting_timestamp: '0', disable_correlation: false, extends_uuid: '', protected: null,
          Orgc: { id: '1', ...remoteOrg, local: true }, Tag: [tag],
          Attribute: [attr(2, { value: '192.0.2.44', Tag: [tag], Sighting: [{ uuid: u(9), attribute_uuid: u(2), type: '0', source: '', date_sighting: ts, org_id: '0', Organisation: remoteOrg }] })],
          ShadowAttribute: [], RelatedEvent: [], Galaxy: [], EventReport: [], CryptographicKey: [],
          Object: [{
            id: '3', name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP addresses', template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '9',
            event_id: '12', uuid: u(3), timestamp: ts, distribution: '5', sharing_group_id: '0', comment: '', deleted: false, first_seen: null, last_seen: null,
            ObjectReference: [{ id: '1', uuid: u(6), timestamp: ts, object_id: '3', referenced_uuid: u(2), referenced_id: '40', referenced_type: '0', relationship_type: 'related-to', comment: '', event_id: '12', deleted: false, source_uuid: u(3) }],
            Attribute: [attr(4, { type: 'domain', value: 'evil.example', object_relation: 'domain', object_id: '3' }), attr(5, { value: '192.0.2.45', object_relation: 'ip', object_id: '3' })],
          }],
        },
      };
      const r = await misp('POST', '/events/add/metadata:1', event);
      expect(r.status, r.text).toBe(200);
      const view = await misp('GET', `/events/view/${u(1)}/deleted[]:0/deleted[]:1`, undefined, s.adminKey);
      expect(view.status, view.text).toBe(200);
      const e = view.json.Event;
      // Connected communities arrive as this community (MISP's receive rule).
      expect(e).toMatchObject({ distribution: '1', Orgc: { uuid: remoteOrg.uuid }, Tag: [{ name: 'tlp:green' }] });
      expect(e.Attribute.map((a: J) => a.uuid)).toEqual([u(2)]);
      expect(e.Object[0].Attribute.map((a: J) => a.value).sort()).toEqual(['192.0.2.45', 'evil.example']);
      expect(e.Object[0].ObjectReference[0]).toMatchObject({ referenced_uuid: u(2), relationship_type: 'related-to' });
      const sightings = await misp('POST', '/sightings/restSearch/event', { returnFormat: 'json', last: 0, includeUuid: true, uuid: [u(1)] }, s.adminKey);
      expect((sightings.json.response as J[]).map((x) => x.Sighting.uuid)).toEqual([u(9)]);
    });

    it('HEAD, events/add/metadata:1, then events/edit/<uuid>/metadata:1; a copy that is not newer is refused with the text MISP ignores', async () => {
      const uuid = '5f0c3c7e-3333-4a2b-9c3d-000000000001';
      expect((await misp('HEAD', `/events/view/${uuid}`)).status).toBe(404);
      const added = await misp('POST', '/events/add/metadata:1', pushed(uuid, 1700000100));
      expect(added.status, added.text).toBe(200);
      expect(added.json.Event.id).toMatch(/^[0-9]+$/);
      // Stored as a synced copy, as MISP does: a later pull from that MISP may update it.
      expect(added.json.Event.locked).toBe(true);
      expect((await misp('HEAD', `/events/view/${uuid}`)).status).toBe(200);

      // Offered again with a newer timestamp, the pushing sync user's own copy is wanted.
      const want = await misp('POST', '/events/filterEventIdsForPush', [{ Event: { uuid, timestamp: '1700000200' } }]);
      expect(want.json).toEqual([uuid]);

      const same = await misp('POST', `/events/edit/${uuid}/metadata:1`, pushed(uuid, 1700000100));
      expect(same.status).toBe(403);
      expect(same.json.errors).toBe('Event could not be saved: Event in the request not newer than the local copy.');
      const edited = await misp('POST', `/events/edit/${uuid}/metadata:1`, pushed(uuid, 1700000200));
      expect(edited.status, edited.text).toBe(200);
      expect(edited.json.Event.timestamp).toBe('1700000200');
    });
  });
});
