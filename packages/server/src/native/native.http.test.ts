import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const anEvent = (extra: J = {}): J => ({
  info: 'Native phishing wave',
  threat_level: 'high',
  analysis: 'ongoing',
  distribution: 1,
  tags: ['tlp:green'],
  attributes: [
    { type: 'ip-dst', value: '198.51.100.77', to_ids: true, comment: 'c2', tags: ['kill-chain:c2'] },
    { type: 'domain', value: 'native.example.com' },
  ],
  objects: [{ name: 'ip-port', attributes: [{ relation: 'ip', type: 'ip-dst', value: '203.0.113.9' }, { relation: 'dst-port', type: 'port', value: '4444' }] }],
  ...extra,
});

describe.each(testEngines())('native JSON API on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('publishes an OpenAPI 3.1 document covering the native routes only', async () => {
    const doc = await s.call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const json = doc.json as J;
    expect(json.openapi).toBe('3.1.0');
    const paths = Object.keys(json.paths as J);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/events', '/api/v1/events/{id}', '/api/v1/attributes', '/api/v1/sightings', '/api/v1/me', '/api/v1/events/{id}/attributes']));
    expect(paths.some((p) => p.startsWith('/events/'))).toBe(false);
    expect(Object.keys(json.components.schemas as J)).toEqual(expect.arrayContaining(['NativeEvent', 'NativeAttribute', 'NativeEventInput', 'NativeError']));
  });

  it('creates an event with typed JSON and reads it back typed', async () => {
    const add = await s.call('POST', '/api/v1/events', anEvent());
    expect(add.status).toBe(201);
    const ev = add.json as J;
    expect(ev).toMatchObject({ info: 'Native phishing wave', threat_level: 'high', analysis: 'ongoing', distribution: 1, published: false, tags: ['tlp:green'] });
    expect(typeof ev.id).toBe('number');
    expect(ev.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ev.attributes).toHaveLength(2);
    expect(ev.attributes[0]).toMatchObject({ type: 'ip-dst', value: '198.51.100.77', to_ids: true, category: 'Network activity', tags: ['kill-chain:c2'], object_id: null });
    expect(ev.objects[0]).toMatchObject({ name: 'ip-port' });
    expect(ev.objects[0].attributes.map((a: J) => a.object_relation).sort()).toEqual(['dst-port', 'ip']);

    const byUuid = await s.call('GET', `/api/v1/events/${String(ev.uuid)}`);
    expect(byUuid.status).toBe(200);
    expect((byUuid.json as J).id).toBe(ev.id);
    // The MISP API sees the same event.
    const misp = await s.call('GET', `/events/view/${String(ev.id)}`);
    expect((misp.json as J).Event.info).toBe('Native phishing wave');
  });

  it('accepts Bearer keys and answers 403 without a valid key', async () => {
    const me = await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${s.adminKey}` } });
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ organisation: { name: 'ORGNAME' }, read_only: false });
    expect(JSON.parse(me.body).role.permissions).toContain('site_admin');
    const bad = await s.call('GET', '/api/v1/events', undefined, 'x'.repeat(40));
    expect(bad.status).toBe(403);
    expect((bad.json as J).code).toBe('unauthenticated');
  });

  it('rejects bad input with a clear error and writes nothing', async () => {
    const before = ((await s.call('GET', '/api/v1/events?limit=1000')).json as J).items.length;
    const missing = await s.call('POST', '/api/v1/events', { threat_level: 'high' });
    expect(missing.status).toBe(400);
    expect((missing.json as J).message).toMatch(/info/);
    const unknownKey = await s.call('POST', '/api/v1/events', { info: 'x', colour: 'red' });
    expect(unknownKey.status).toBe(400);
    const badLevel = await s.call('POST', '/api/v1/events', { info: 'x', threat_level: 'apocalyptic' });
    expect(badLevel.status).toBe(400);
    const badValue = await s.call('POST', '/api/v1/events', anEvent({ info: 'bad ip', attributes: [{ type: 'ip-dst', value: 'not-an-ip' }] }));
    expect(badValue.status).toBe(400);
    expect((badValue.json as J).code).toBe('invalid_input');
    expect((badValue.json as J).field).toMatch(/value/);
    const badType = await s.call('POST', '/api/v1/events', anEvent({ info: 'bad type', attributes: [{ type: 'no-such-type', value: 'x' }] }));
    expect(badType.status).toBe(400);
    const after = ((await s.call('GET', '/api/v1/events?limit=1000')).json as J).items.length;
    expect(after).toBe(before);
    expect((await s.call('GET', '/api/v1/events/999999')).status).toBe(404);
    expect((await s.call('GET', '/api/v1/events?limit=5000')).status).toBe(400);
  });

  it('pages event lists and attribute searches with next_page', async () => {
    for (let i = 0; i < 5; i++) expect((await s.call('POST', '/api/v1/events', { info: `paging ${String(i)}`, tags: ['paging:set'], attributes: [{ type: 'url', value: `http://paging.example/${String(i)}` }] })).status).toBe(201);
    const first = (await s.call('GET', '/api/v1/events?tag=paging:set&limit=2')).json as J;
    expect(first.items).toHaveLength(2);
    expect(first.next_page).toBe(2);
    const third = (await s.call('GET', '/api/v1/events?tag=paging:set&limit=2&page=3')).json as J;
    expect(third.items).toHaveLength(1);
    expect(third.next_page).toBeNull();
    const infos = new Set<string>();
    for (let page = 1; page <= 3; page++) for (const e of ((await s.call('GET', `/api/v1/events?tag=paging:set&limit=2&page=${String(page)}`)).json as J).items as J[]) infos.add(String(e.info));
    expect(infos.size).toBe(5);

    const attrs = (await s.call('GET', '/api/v1/attributes?type=url&value=http://paging.example/%25&limit=3')).json as J;
    expect(attrs.items).toHaveLength(3);
    expect(attrs.next_page).toBe(2);
    const rest = (await s.call('GET', '/api/v1/attributes?type=url&value=http://paging.example/%25&limit=3&page=2')).json as J;
    expect(rest.items).toHaveLength(2);
    expect(rest.next_page).toBeNull();
  });

  it('adds attributes and sightings, and hides what another organisation may not see', async () => {
    const ev = (await s.call('POST', '/api/v1/events', anEvent({ info: 'org only', distribution: 0, attributes: [{ type: 'ip-src', value: '192.0.2.201' }], objects: [] }))).json as J;
    const more = await s.call('POST', `/api/v1/events/${String(ev.id)}/attributes`, { attributes: [{ type: 'sha256', value: 'a'.repeat(64) }, { type: 'email-src', value: 'bad@evil.example' }] });
    expect(more.status).toBe(201);
    expect((more.json as J).items.map((a: J) => a.type)).toEqual(['sha256', 'email-src']);
    const rejected = await s.call('POST', `/api/v1/events/${String(ev.id)}/attributes`, { attributes: [{ type: 'sha256', value: 'b'.repeat(64) }, { type: 'ip-src', value: 'nope' }] });
    expect(rejected.status).toBe(400);
    expect(((await s.call('GET', `/api/v1/attributes?event=${String(ev.id)}`)).json as J).items).toHaveLength(3);

    const seen = await s.call('POST', '/api/v1/sightings', { value: '192.0.2.201', source: 'honeypot-7' });
    expect(seen.status).toBe(201);
    expect((seen.json as J).items[0]).toMatchObject({ type: 'sighting', source: 'honeypot-7', event_id: ev.id });

    const other = await addOrgUser(s, `Native Other ${engine}`);
    expect((await s.call('GET', `/api/v1/events/${String(ev.id)}`, undefined, other.key)).status).toBe(404);
    expect(((await s.call('GET', '/api/v1/attributes?value=192.0.2.201', undefined, other.key)).json as J).items).toHaveLength(0);
    expect((await s.call('DELETE', `/api/v1/events/${String(ev.id)}`, undefined, other.key)).status).toBe(404);

    const pub = await s.call('POST', `/api/v1/events/${String(ev.id)}/publish`);
    expect(pub.status).toBe(200);
    expect((pub.json as J).published).toBe(true);
    expect((await s.call('DELETE', `/api/v1/events/${String(ev.id)}`)).status).toBe(204);
    expect((await s.call('GET', `/api/v1/events/${String(ev.id)}`)).status).toBe(404);
  });
});
