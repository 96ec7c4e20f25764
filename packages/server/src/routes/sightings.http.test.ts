import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(testEngines())('MISP sighting lists on %s', (engine) => {
  let s: TestServer;
  let ev: J;
  let attr: J;
  let other: { key: string; orgId: number };
  beforeAll(async () => {
    s = await startTestServer(engine);
    ev = ((await s.call('POST', '/events/add', { info: 'Seen', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.51.100.20' }] })).json as J).Event;
    attr = (ev.Attribute as J[])[0] as J;
    other = await addOrgUser(s, 'Sighter');
    expect((await s.call('POST', `/sightings/add/${String(attr.uuid)}`, { source: 'owner', type: '0' })).status).toBe(200);
    expect((await s.call('POST', `/sightings/add/${String(attr.id)}`, { source: 'other', type: '0' }, other.key)).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('filters sightings(entity, org=…) by the org_id PyMISP adds (id, uuid or name)', async () => {
    // sightings(MISPAttribute) posts the entity's id as a JSON number.
    const all = (await s.call('POST', '/sightings/listSightings', { context: 'attribute', id: Number(attr.id) })).json as J[];
    expect(all.map((x) => x.Sighting.source).sort()).toEqual(['other', 'owner']);
    // MISP's path form and GET, several ids with |, newest first.
    const byPath = (await s.call('GET', `/sightings/listSightings/${String(attr.id)}/attribute`)).json as J[];
    expect(byPath.map((x) => x.Sighting.id)).toEqual(all.map((x) => x.Sighting.id));
    expect(Number(byPath[0]?.Sighting.date_sighting)).toBeGreaterThanOrEqual(Number(byPath[1]?.Sighting.date_sighting));
    const withOrg = (await s.call('POST', `/sightings/listSightings/${String(ev.id)}/event/${String(other.orgId)}`, {})).json as J[];
    expect(withOrg.map((x) => x.Sighting.source)).toEqual(['other']);
    expect(((await s.call('POST', '/sightings/listSightings', { id: `${String(attr.id)}|${String(attr.id)}` })).json as J[])).toHaveLength(2);
    expect((await s.call('POST', '/sightings/listSightings', {})).status).toBe(400);
    // Each names its organisation, as MISP's listSightings does.
    const byOther = all.find((x) => x.Sighting.source === 'other')?.Sighting as J;
    expect(byOther.Organisation).toMatchObject({ id: String(other.orgId), name: 'Sighter' });
    expect(byOther.Organisation.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const org = ((await s.call('GET', `/organisations/view/${other.orgId}`)).json as J).Organisation;
    for (const ref of [other.orgId, String(org.uuid), 'Sighter']) {
      const mine = (await s.call('POST', '/sightings/listSightings', { context: 'event', id: Number(ev.id), org_id: ref })).json as J[];
      expect(mine.map((x) => x.Sighting.source)).toEqual(['other']);
    }
  });

  it('nests Attribute and Event in each sighting for search_sightings(include_attribute, include_event_meta)', async () => {
    // The test clock is in 2023: `last: 0` (search_sightings(publish_timestamp=0)) lifts MISP's 30-day default.
    const r = await s.call('POST', '/sightings/restSearch/attribute', { returnFormat: 'json', id: Number(attr.id), last: 0, includeAttribute: true, includeEvent: true });
    expect(r.status).toBe(200);
    const list = (r.json as J).response as J[];
    expect(list).toHaveLength(2);
    for (const x of list) {
      expect(x.Sighting.Attribute).toMatchObject({ uuid: attr.uuid, type: 'ip-dst', value: '198.51.100.20', category: 'Network activity' });
      expect(x.Sighting.Event).toMatchObject({ uuid: ev.uuid, info: 'Seen', id: String(ev.id) });
    }
    const plain = ((await s.call('POST', '/sightings/restSearch/event', { returnFormat: 'json', id: Number(ev.id), last: 0 })).json as J).response as J[];
    expect(plain).toHaveLength(2);
    expect(plain.every((x) => x.Sighting.Attribute === undefined && x.Sighting.Event === undefined)).toBe(true);
  });
});
