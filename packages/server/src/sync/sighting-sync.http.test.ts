import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';
import { startRelay } from '../test-support/relay.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


describe.each(testEngines())('sightings synced on their own between two instances (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let bOnA: string;
  let aOnB: string;
  let aSyncOnB: { key: string; orgId: number };
  let sensorOnB: { key: string };
  let honeyOnA: { key: string };
  let n = 0;

  async function addEvent(s: TestServer, info: string, distribution: number): Promise<J> {
    n++;
    const r = await s.call('POST', '/events/add', { info, distribution: String(distribution), Attribute: [{ type: 'ip-dst', value: `198.51.100.${String(n)}` }] });
    expect(r.status, r.text).toBe(200);
    const ev = (r.json as J).Event;
    expect((await s.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    return ev;
  }
  const copyOf = async (s: TestServer, uuid: string): Promise<J> => {
    const r = await s.call('POST', `/events/view/${uuid}`, { includeSightings: 1 });
    expect(r.status, r.text).toBe(200);
    return (r.json as J).Event;
  };
  const sightingsOn = async (s: TestServer, uuid: string): Promise<J[]> => (await copyOf(s, uuid)).Attribute.flatMap((x: J) => x.Sighting ?? []);
  const sight = async (s: TestServer, attributeId: string, source: string, key?: string): Promise<J> => {
    const r = await s.call('POST', '/sightings/add', { id: attributeId, source }, key);
    expect(r.status, r.text).toBe(200);
    return (r.json as J).Sighting;
  };
  const run = async (s: TestServer, direction: 'pull' | 'push', id: string): Promise<J> => {
    const r = await s.call('POST', `/servers/${direction}/${id}`);
    expect(r.status, r.text).toBe(200);
    return r.json as J;
  };

  beforeAll(async () => {
    a = await startTestServer(engine);
    b = await startTestServer(engine);
    const aUrl = await listen(a);
    const bUrl = await listen(b);
    relay = await startRelay(Number(new URL(bUrl).port));
    const bSyncOnA = await addOrgUser(a, `PartnerB${engine}`, 5);
    aSyncOnB = await addOrgUser(b, `PartnerA${engine}`, 5);
    sensorOnB = await addOrgUser(b, `SensorNet${engine}`, 3);
    honeyOnA = await addOrgUser(a, `HoneyOrg${engine}`, 3);
    const flags = { pull: true, push: true, push_sightings: true };
    const onA = await a.call('POST', '/servers/add', { Server: { name: 'B', url: `http://127.0.0.1:${String(relay.port)}`, authkey: aSyncOnB.key, remote_org_id: bSyncOnA.orgId, ...flags } });
    expect(onA.status, onA.text).toBe(200);
    bOnA = (onA.json as J).Server.id;
    const onB = await b.call('POST', '/servers/add', { Server: { name: 'A', url: aUrl, authkey: bSyncOnA.key, remote_org_id: aSyncOnB.orgId, ...flags } });
    expect(onB.status, onB.text).toBe(200);
    aOnB = (onB.json as J).Server.id;
  });
  afterAll(async () => {
    await relay.close();
    await a.close();
    await b.close();
  });

  it('pulls a sighting added after the event was synced, without any event change, once', async () => {
    const ev = await addEvent(a, 'pull sighting later', 3);
    expect((await run(a, 'push', bOnA)).success).toBe(true);
    // Warm-up: nothing new on either side.
    await run(a, 'pull', bOnA);
    const copy = await copyOf(b, ev.uuid);
    const s = await sight(b, copy.Attribute[0].id, 'b-sensor', sensorOnB.key);

    const first = await run(a, 'pull', bOnA);
    expect(first.success, JSON.stringify(first)).toBe(true);
    expect(first.report.fetched, 'the event itself is not downloaded again').toBe(0);
    expect(first.report.sightings).toMatchObject({ saved: 1, failed: 0, aborted: false });
    expect(first.message).toMatch(/1 sightings pulled/);
    const got = await sightingsOn(a, ev.uuid);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ uuid: s.uuid, source: 'b-sensor', Organisation: { name: `SensorNet${engine}` } });
    const log = (await a.call('GET', `/servers/syncLog/${bOnA}`)).json as J[];
    expect(log.some((l) => /sightings: 1 saved/.test(String(l.message)))).toBe(true);

    const second = await run(a, 'pull', bOnA);
    expect(second.report.sightings.saved).toBe(0);
    expect(await sightingsOn(a, ev.uuid)).toHaveLength(1);
  });

  it('pushes a sighting added after the event was synced, without any event change, once', async () => {
    const ev = await addEvent(b, 'push sighting later', 3);
    expect((await run(b, 'push', aOnB)).success).toBe(true);
    await run(a, 'push', bOnA); // the event bounces back unchanged; the cursor moves past it
    const copy = await copyOf(a, ev.uuid);
    const s = await sight(a, copy.Attribute[0].id, 'a-honeypot', honeyOnA.key);

    const first = await run(a, 'push', bOnA);
    expect(first.success, JSON.stringify(first)).toBe(true);
    expect(first.report.listed, 'no event changed').toBe(0);
    expect(first.report.sightings).toMatchObject({ sent: 1, saved: 1, failed: 0 });
    const got = await sightingsOn(b, ev.uuid);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ uuid: s.uuid, source: 'a-honeypot', Organisation: { name: `HoneyOrg${engine}` } });

    const second = await run(a, 'push', bOnA);
    expect(second.report.sightings).toMatchObject({ sent: 0, saved: 0 });
    expect(await sightingsOn(b, ev.uuid)).toHaveLength(1);
  });

  it('never sends a sighting the remote organisation may not see, nor one on an event whose distribution keeps it here', async () => {
    // A's own event: only the remote organisation's own sightings would go (MISP's sighting policy).
    const own = await addEvent(a, 'own event', 3);
    expect((await run(a, 'push', bOnA)).success).toBe(true);
    const ownCopy = await copyOf(a, own.uuid);
    await sight(a, ownCopy.Attribute[0].id, 'a-private');
    // Connected communities arrive as this community: distribution 1 never leaves again.
    const local = await addEvent(b, 'community only', 2);
    expect((await run(b, 'push', aOnB)).success).toBe(true);
    const localCopy = await copyOf(a, local.uuid);
    expect(localCopy.distribution).toBe('1');
    await sight(a, localCopy.Attribute[0].id, 'a-community', honeyOnA.key);

    const r = await run(a, 'push', bOnA);
    expect(r.report.sightings.sent, JSON.stringify(r.report.sightings)).toBe(0);
    expect(await sightingsOn(b, own.uuid)).toHaveLength(0);
    expect(await sightingsOn(b, local.uuid)).toHaveLength(0);
  });

  it('lets a sync user add sightings only to events it may see, idempotently, and refuses garbage whole', async () => {
    const hidden = await addEvent(b, 'hidden on B', 0);
    const visible = await addEvent(b, 'visible on B', 3);
    const attr = (await copyOf(b, visible.uuid)).Attribute[0];
    const good = { uuid: 'aaaaaaaa-1111-4111-8111-000000000001', attribute_uuid: attr.uuid, date_sighting: '1700000000', type: '0', source: 'x', Organisation: { uuid: 'bbbbbbbb-1111-4111-8111-000000000001', name: `Remote${engine}` } };
    const hiddenAttr = (await copyOf(b, hidden.uuid)).Attribute[0];
    const refused = await b.call('POST', `/sightings/bulkSaveSightings/${String(hidden.uuid)}`, [{ ...good, attribute_uuid: hiddenAttr.uuid }], aSyncOnB.key);
    expect(refused.status, refused.text).toBe(404);

    const garbage = await b.call('POST', `/sightings/bulkSaveSightings/${String(visible.uuid)}`, [good, { ...good, uuid: 'not-a-uuid' }], aSyncOnB.key);
    expect(garbage.status).toBe(400);
    expect((garbage.json as J).field).toBe('Sighting[1].uuid');
    expect(await sightingsOn(b, visible.uuid), 'nothing half-saved').toHaveLength(0);

    const ok = await b.call('POST', `/sightings/bulkSaveSightings/${String(visible.uuid)}`, [good], aSyncOnB.key);
    expect(ok.json).toMatchObject({ saved: true, count: 1 });
    const again = await b.call('POST', `/sightings/bulkSaveSightings/${String(visible.uuid)}`, [good], aSyncOnB.key);
    expect(again.json).toMatchObject({ saved: false, count: 0 });
    const stored = await sightingsOn(b, visible.uuid);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.Organisation.name).toBe(`Remote${engine}`);

    const filtered = await b.call('POST', `/sightings/filterSightingUuidsForPush/${String(visible.uuid)}`, [good.uuid, 'aaaaaaaa-1111-4111-8111-000000000002'], aSyncOnB.key);
    expect(filtered.json).toEqual([good.uuid]);
    expect((await b.call('POST', `/sightings/filterSightingUuidsForPush/${String(hidden.uuid)}`, [good.uuid], aSyncOnB.key)).status).toBe(404);
  });

  it('answers sightings/restSearch with MISP filters and the sighting policy', async () => {
    const ev = await addEvent(b, 'searched', 3);
    const attr = (await copyOf(b, ev.uuid)).Attribute[0];
    await sight(b, attr.id, 'admin-sighting');
    await sight(b, attr.id, 'sensor-sighting', sensorOnB.key);
    const search = async (body: J, key?: string): Promise<J[]> => {
      const r = await b.call('POST', '/sightings/restSearch/event', body, key);
      expect(r.status, r.text).toBe(200);
      return ((r.json as J).response as J[]).map((x) => x.Sighting);
    };
    const all = await search({ uuid: [ev.uuid], last: 0, includeUuid: true });
    expect(all.map((s) => s.source).sort()).toEqual(['admin-sighting', 'sensor-sighting']);
    expect(all[0]).toMatchObject({ event_uuid: ev.uuid, attribute_uuid: attr.uuid, Organisation: { name: expect.any(String) } });
    // The sensor organisation owns neither the event nor the admin's sighting: it sees its own only.
    expect((await search({ uuid: [ev.uuid], last: 0 }, sensorOnB.key)).map((s) => s.source)).toEqual(['sensor-sighting']);
    expect((await search({ uuid: [ev.uuid], last: 0, org: `SensorNet${engine}` })).map((s) => s.source)).toEqual(['sensor-sighting']);
    expect((await search({ uuid: [ev.uuid], last: 0, org_id: [`!SensorNet${engine}`] })).map((s) => s.source)).toEqual(['admin-sighting']);
    expect(await search({ uuid: [ev.uuid], timestamp: '2999-01-01' })).toEqual([]);
    expect((await b.call('POST', '/sightings/restSearch', { context: 'galaxy', id: 1 })).status).toBe(400);
    expect((await b.call('POST', '/sightings/restSearch/event', {})).status).toBe(400);
    expect((await b.call('POST', '/sightings/restSearch/event', { uuid: ev.uuid, last: 'soon' })).status).toBe(400);
  });

  it('resumes an interrupted sighting pull and saves each sighting once', async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const ev = await addEvent(a, `resume ${String(i)}`, 3);
      uuids.push(ev.uuid);
    }
    expect((await run(a, 'push', bOnA)).success).toBe(true);
    await run(a, 'pull', bOnA);
    for (const uuid of uuids) await sight(b, (await copyOf(b, uuid)).Attribute[0].id, `resume-${uuid.slice(0, 4)}`, sensorOnB.key);
    relay.cut = 900;
    const broken = await run(a, 'pull', bOnA);
    relay.cut = undefined;
    const s = broken.report.sightings as J | undefined;
    expect(broken.success === false || (s?.failed ?? 0) > 0 || (s?.saved ?? 0) < 4, JSON.stringify(broken)).toBe(true);
    const healed = await run(a, 'pull', bOnA);
    expect(healed.success, JSON.stringify(healed)).toBe(true);
    for (const uuid of uuids) expect(await sightingsOn(a, uuid)).toHaveLength(1);
  });
});
