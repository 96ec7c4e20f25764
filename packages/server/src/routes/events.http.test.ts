import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const anEvent = (extra: J = {}): J => ({
  info: 'Phishing wave',
  distribution: '1',
  threat_level_id: '2',
  analysis: '1',
  Attribute: [
    { type: 'ip-dst', value: '198.51.100.7', category: 'Network activity', to_ids: true, comment: 'c2' },
    { type: 'domain', value: 'Evil.Example.COM' },
    { type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' },
  ],
  Tag: [{ name: 'tlp:green' }],
  ...extra,
});

describe.each(testEngines())('MISP event API on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers the calls PyMISP makes when it connects', async () => {
    const v = await s.call('GET', '/servers/getVersion');
    expect(v.status).toBe(200);
    expect((v.json as J).version).toMatch(/^\d+\.\d+\.\d+$/);
    const pv = await s.call('GET', '/servers/getPyMISPVersion.json');
    expect((pv.json as J).version).toMatch(/^\d+\.\d+\.\d+$/);
    const dt = await s.call('GET', '/attributes/describeTypes.json');
    const result = (dt.json as J).result;
    expect(Object.keys(result).sort()).toEqual(['categories', 'category_type_mappings', 'sane_defaults', 'types']);
    expect(result.types).toContain('ip-dst');
    const health = await s.call('GET', '/health', undefined, '');
    expect(health.status).toBe(200);
  });

  it('rejects missing and wrong keys with a JSON 403', async () => {
    for (const key of ['', 'x'.repeat(40), 'short']) {
      const r = await s.call('GET', '/events/index', undefined, key);
      expect(r.status).toBe(403);
      expect((r.json as J).message).toMatch(/Authentication failed/);
    }
  });

  it('creates, views, edits, publishes and deletes an event', async () => {
    const add = await s.call('POST', '/events/add', anEvent());
    expect(add.status).toBe(200);
    const ev = (add.json as J).Event;
    expect(ev.info).toBe('Phishing wave');
    expect(ev.Attribute).toHaveLength(3);
    expect(ev.Attribute.find((a: J) => a.type === 'domain').value).toBe('evil.example.com');
    expect(ev.Attribute.find((a: J) => a.type === 'md5').value).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(ev.Tag.map((t: J) => t.name)).toEqual(['tlp:green']);
    expect(ev.published).toBe(false);
    expect(ev.attribute_count).toBe('3');
    expect(s.messages.some((m) => m.topic === 'misp_json_event')).toBe(true);

    const byId = await s.call('GET', `/events/view/${ev.id}`);
    const byUuid = await s.call('GET', `/events/view/${ev.uuid}`);
    expect((byId.json as J).Event.uuid).toBe(ev.uuid);
    expect((byUuid.json as J).Event.id).toBe(ev.id);
    expect((await s.call('HEAD', `/events/view/${ev.id}`)).status).toBe(200);
    expect((await s.call('HEAD', '/events/view/999999')).status).toBe(404);

    const edited = await s.call('POST', `/events/edit/${ev.uuid}`, { info: 'Phishing wave (updated)', Attribute: [{ type: 'url', value: 'http://evil.example.com/login' }] });
    expect(edited.status).toBe(200);
    const e2 = (edited.json as J).Event;
    expect(e2.info).toBe('Phishing wave (updated)');
    expect(e2.Attribute).toHaveLength(4);
    expect(Number(e2.timestamp)).toBeGreaterThan(Number(ev.timestamp));

    const pub = await s.call('POST', `/events/publish/${ev.id}`);
    expect((pub.json as J).saved).toBe(true);
    const after = (await s.call('GET', `/events/view/${ev.id}`)).json as J;
    expect(after.Event.published).toBe(true);
    expect(Number(after.Event.publish_timestamp)).toBeGreaterThan(0);
    await s.call('POST', `/events/unpublish/${ev.id}`);
    expect(((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event.published).toBe(false);

    const del = await s.call('POST', `/events/delete/${ev.id}`);
    expect((del.json as J).success).toBe(true);
    const gone = await s.call('GET', `/events/view/${ev.id}`);
    expect(gone.status).toBe(404);
    expect((gone.json as J).message).toBe('Invalid event.');
  });

  it('answers events/add with what events/view shows afterwards: tags (repeated ones once), objects, reports and organisations, without reading them back', async () => {
    const body = anEvent({
      Tag: [{ name: 'tlp:amber' }, { name: 'waggle:add-answer', local: true }, { name: 'tlp:amber', local: true }],
      Attribute: [
        { type: 'ip-dst', value: '203.0.113.77', Tag: [{ name: 'waggle:add-answer' }, { name: 'tlp:amber' }, { name: 'waggle:add-answer', local: true }] },
        { type: 'domain', value: 'answer.example.org' },
        { type: 'md5', value: 'aabbccddeeff00112233445566778899', Tag: [{ name: 'gone', deleted: true }, { name: 'tlp:amber' }] },
      ],
      Object: [{ name: 'ip-port', Attribute: [{ type: 'ip-dst', object_relation: 'ip', value: '203.0.113.78', Tag: [{ name: 'tlp:amber' }] }, { type: 'port', object_relation: 'dst-port', value: '443' }] }],
      EventReport: [{ name: 'Report', content: 'Seen @[attribute](x)' }],
    });
    const add = await s.call('POST', '/events/add', body);
    expect(add.status).toBe(200);
    const answered = (add.json as J).Event;
    expect(answered.attribute_count).toBe('5');
    expect(answered.Tag.map((t: J) => [t.name, t.local])).toEqual([['tlp:amber', 0], ['waggle:add-answer', 1]]);
    const ip = answered.Attribute.find((a: J) => a.value === '203.0.113.77');
    expect(ip.Tag.map((t: J) => [t.name, t.local])).toEqual([['waggle:add-answer', 0], ['tlp:amber', 0]]);
    expect(answered.Attribute.find((a: J) => a.type === 'domain').Tag).toEqual([]);
    expect(answered.Attribute.find((a: J) => a.type === 'md5').Tag.map((t: J) => t.name)).toEqual(['tlp:amber']);
    const view = await s.call('GET', `/events/view/${String(answered.id)}`);
    expect(view.status).toBe(200);
    expect(answered).toEqual((view.json as J).Event);
  });

  it('rejects bad input with a clear error naming the field, and stores nothing', async () => {
    const before = ((await s.call('GET', '/events/index')).json as J[]).length;
    const cases: [unknown, RegExp][] = [
      ['{"info": "x", ', /Malformed JSON/],
      [anEvent({ Attribute: [{ type: 'ip-dst', value: 'not-an-ip' }] }), /Event\.Attribute\[0\]\.value/],
      [anEvent({ Attribute: [{ type: 'no-such-type', value: 'x' }] }), /unknown attribute type/],
      [anEvent({ Attribute: [{ type: 'md5', value: 'abc' }] }), /Event\.Attribute\[0\]\.value/],
      [anEvent({ distribution: '9' }), /distribution/],
      [anEvent({ info: '' }), /Event\.info/],
      [anEvent({ Attribute: [{ type: 'ip-dst', value: '1.2.3.4', category: 'Payload type' }] }), /category/],
    ];
    for (const [body, message] of cases) {
      const r = await s.call('POST', '/events/add', body);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect((r.json as J).message).toMatch(message);
    }
    // An event whose second attribute is bad leaves no event and no first attribute behind.
    const r = await s.call('POST', '/events/add', anEvent({ uuid: 'b5a0c1c2-1111-4222-8333-944455556666', Attribute: [{ type: 'ip-dst', value: '203.0.113.9' }, { type: 'ip-dst', value: 'bad' }] }));
    expect(r.status).toBe(400);
    expect((await s.call('GET', '/events/view/b5a0c1c2-1111-4222-8333-944455556666')).status).toBe(404);
    const search = await s.call('POST', '/attributes/restSearch', { value: '203.0.113.9' });
    expect((search.json as J).response.Attribute).toHaveLength(0);
    expect(((await s.call('GET', '/events/index')).json as J[]).length).toBe(before);
  });

  it('refuses a duplicate event UUID with 409 and a location', async () => {
    const uuid = 'c0ffee00-1111-4222-8333-944455556666';
    expect((await s.call('POST', '/events/add', anEvent({ uuid }))).status).toBe(200);
    const dup = await s.call('POST', '/events/add', anEvent({ uuid }));
    expect(dup.status).toBe(409);
    expect(dup.headers.location).toMatch(/^\/events\/view\/\d+$/);
  });

  it('refuses oversize bodies with 413', async () => {
    const big = await startTestServer(engine);
    try {
      const { createApp } = await import('../app.js');
      const { createServices } = await import('../services.js');
      const small = createApp({ services: createServices(big.deps, { db: big.store.connection.db }), version: 't', bodyLimit: 1000 });
      const res = await small.inject({ method: 'POST', url: '/events/add', headers: { authorization: big.adminKey, 'content-type': 'application/json' }, payload: JSON.stringify(anEvent({ comment: 'x'.repeat(5000) })) });
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body).code).toBe('too_large');
      await small.close();
    } finally {
      await big.close();
    }
  });

  it('adds attributes singly and as a list, edits and soft/hard deletes them', async () => {
    const ev = ((await s.call('POST', '/events/add', anEvent({ Attribute: [] }))).json as J).Event;
    const one = await s.call('POST', `/attributes/add/${ev.uuid}`, { type: 'sha256', value: 'A'.repeat(64) });
    expect(one.status).toBe(200);
    expect((one.json as J).Attribute.value).toBe('a'.repeat(64));
    const list = await s.call('POST', `/attributes/add/${ev.id}`, [{ type: 'ip-src', value: '192.0.2.1' }, { type: 'ip-dst|port', value: '192.0.2.2|443' }]);
    expect((list.json as J).Attribute).toHaveLength(2);
    const attr = (one.json as J).Attribute;
    const edit = await s.call('POST', `/attributes/edit/${attr.uuid}`, { comment: 'seen on host', to_ids: false });
    expect((edit.json as J).Attribute.comment).toBe('seen on host');
    expect((edit.json as J).Attribute.to_ids).toBe(false);
    expect((await s.call('POST', `/attributes/edit/${attr.id}`, { value: 'zz' })).status).toBe(400);
    expect(((await s.call('GET', `/attributes/view/${attr.id}`)).json as J).Attribute.value).toBe('a'.repeat(64));

    expect(((await s.call('POST', `/attributes/delete/${attr.id}`, {})).json as J).message).toBe('Attribute deleted.');
    const live = ((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event.Attribute;
    expect(live.map((a: J) => a.id)).not.toContain(attr.id);
    const withDeleted = ((await s.call('POST', `/events/view/${ev.id}`, { deleted: 1 })).json as J).Event.Attribute;
    expect(withDeleted.find((a: J) => a.id === attr.id).deleted).toBe(true);
    await s.call('POST', `/attributes/delete/${attr.id}`, { hard: 1 });
    expect((await s.call('GET', `/attributes/view/${attr.id}`)).status).toBe(404);
  });

  it('adds objects with references, validated against their templates', async () => {
    const ev = ((await s.call('POST', '/events/add', anEvent())).json as J).Event;
    const target = ev.Attribute[0];
    const obj = await s.call('POST', `/objects/add/${ev.id}`, {
      name: 'ip-port',
      'meta-category': 'network',
      Attribute: [
        { object_relation: 'ip', type: 'ip-dst', value: '203.0.113.50' },
        { object_relation: 'dst-port', type: 'port', value: '8443' },
      ],
    });
    expect(obj.status, JSON.stringify(obj.json)).toBe(200);
    const o = (obj.json as J).Object;
    expect(o.Attribute).toHaveLength(2);
    expect(o.template_uuid).not.toBe('');
    const ref = await s.call('POST', '/objectReferences/add', { object_uuid: o.uuid, referenced_uuid: target.uuid, relationship_type: 'connects-to' });
    expect(ref.status).toBe(200);
    expect((ref.json as J).ObjectReference.referenced_type).toBe('0');
    const view = ((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event;
    expect(view.Object[0].ObjectReference[0].relationship_type).toBe('connects-to');

    const bad = await s.call('POST', `/objects/add/${ev.id}`, { name: 'ip-port', Attribute: [{ object_relation: 'no-such-relation', type: 'text', value: 'x' }] });
    expect(bad.status).toBe(400);
    expect((bad.json as J).field).toMatch(/^Object/);
    const del = await s.call('POST', `/objects/delete/${o.id}`, {});
    expect((del.json as J).saved).toBe(true);
    expect(((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event.Object).toHaveLength(0);
  });

  it('tags and untags events and attributes', async () => {
    const ev = ((await s.call('POST', '/events/add', anEvent())).json as J).Event;
    const a = ev.Attribute[0];
    expect((await s.call('POST', '/tags/attachTagToObject', { uuid: ev.uuid, tag: 'misp-galaxy:threat-actor="APT28"' })).status).toBe(200);
    expect((await s.call('POST', '/tags/attachTagToObject', { uuid: a.uuid, tag: 'tlp:amber', local: true })).status).toBe(200);
    const view = ((await s.call('GET', `/events/view/${ev.id}`)).json as J).Event;
    expect(view.Tag.map((t: J) => t.name)).toContain('misp-galaxy:threat-actor="APT28"');
    const at = view.Attribute.find((x: J) => x.id === a.id).Tag;
    expect(at[0].name).toBe('tlp:amber');
    expect(at[0].local).toBe(1);
    expect((await s.call('POST', '/tags/removeTagFromObject', { uuid: ev.uuid, tag: 'misp-galaxy:threat-actor="APT28"' })).status).toBe(200);
    expect((await s.call('POST', '/tags/removeTagFromObject', { uuid: ev.uuid, tag: 'misp-galaxy:threat-actor="APT28"' })).status).toBe(404);
    const tags = (await s.call('GET', '/tags/index')).json as J;
    expect(Array.isArray(tags.Tag)).toBe(true);
    expect((await s.call('POST', '/tags/attachTagToObject', { uuid: 'not-a-uuid', tag: 'x' })).status).toBe(400);
  });

  it("answers attachTagToObject and removeTagFromObject in MISP's words, naming the target as PyMISP's test_update_object checks", async () => {
    const ev = ((await s.call('POST', '/events/add', anEvent({ Tag: [] }))).json as J).Event;
    const a = ev.Attribute[0];
    const msg = (r: { json: unknown }): string => (r.json as J).message as string;
    const attached = await s.call('POST', '/tags/attachTagToObject', { uuid: ev.uuid, tag: 'generic_tag_test', local: false });
    expect(attached.status).toBe(200);
    expect(msg(attached)).toMatch(new RegExp(`^Global tag generic_tag_test\\(\\d+\\) successfully attached to Event\\(${String(ev.id)}\\)\\.$`));
    expect(msg(await s.call('POST', '/tags/attachTagToObject', { uuid: ev.uuid, tag: 'generic_tag_test' }))).toBe('Event already has the requested tag attached, no changes had to be made for tag generic_tag_test.');
    expect(msg(await s.call('POST', '/tags/attachTagToObject', { uuid: a.uuid, tag: 'generic_tag_test_local', local: true }))).toMatch(new RegExp(`^Local tag generic_tag_test_local\\(\\d+\\) successfully attached to Attribute\\(${String(a.id)}\\)\\.$`));
    // "r['message'].endswith(f'successfully removed from Event({second.id}).')"
    expect(msg(await s.call('POST', '/tags/removeTagFromObject', { uuid: ev.uuid, tag: 'generic_tag_test' }))).toMatch(new RegExp(`^Global tag generic_tag_test \\(\\d+\\) successfully removed from Event\\(${String(ev.id)}\\)\\.$`));
    expect(msg(await s.call('POST', '/tags/removeTagFromObject', { uuid: a.uuid, tag: 'generic_tag_test_local' }))).toMatch(new RegExp(`successfully removed from Attribute\\(${String(a.id)}\\)\\.$`));
    const again = await s.call('POST', '/tags/removeTagFromObject', { uuid: ev.uuid, tag: 'generic_tag_test' });
    expect([again.status, msg(again)]).toEqual([404, 'Could not remove tag as it is not attached to the target Event']);
  });

  it("answers 'Invalid Target.' for a UUID naming nothing the caller sees, and refuses tags restricted to another organisation or user (test_tags)", async () => {
    const owner = await addOrgUser(s, 'TagOwnerOrg', 3);
    const colleague = await addOrgUser(s, 'TagOwnerOrg', 4);
    const outsider = await addOrgUser(s, 'TagOutsiderOrg', 2);
    const ev = ((await s.call('POST', '/events/add', anEvent({ distribution: '0', Tag: [] }), owner.key)).json as J).Event;
    const a = ev.Attribute[0];
    const orgTag = ((await s.call('POST', '/tags/add', { name: `restricted to org ${String(owner.orgId)}`, org_id: String(owner.orgId) })).json as J).Tag;
    expect(orgTag.org_id).toBe(String(owner.orgId));
    const userTag = ((await s.call('POST', '/tags/add', { name: `restricted to user ${String(owner.userId)}`, org_id: String(owner.orgId), user_id: String(owner.userId) })).json as J).Tag;
    expect(userTag.user_id).toBe(String(owner.userId));
    // The event is invisible to the other organisation: MISP's __findObjectByUuid answers "Invalid Target.".
    const hidden = await s.call('POST', '/tags/attachTagToObject', { uuid: ev.uuid, tag: orgTag.name, local: false }, outsider.key);
    expect([hidden.status, (hidden.json as J).message]).toEqual([404, 'Invalid Target.']);
    expect(((await s.call('POST', '/tags/removeTagFromObject', { uuid: a.uuid, tag: orgTag.name }, outsider.key)).json as J).message).toBe('Invalid Target.');
    expect((await s.call('POST', '/tags/attachTagToObject', { uuid: ev.uuid, tag: orgTag.name }, owner.key)).status).toBe(200);
    // A colleague may edit the event but the tag is for one user only.
    const refused = await s.call('POST', '/tags/attachTagToObject', { uuid: a.uuid, tag: userTag.name }, colleague.key);
    expect(refused.status).toBe(403);
    expect((refused.json as J).errors).toContain('Invalid Tag. This tag can only be set by a fixed user.');
    expect((await s.call('POST', '/tags/attachTagToObject', { uuid: a.uuid, tag: userTag.name }, owner.key)).status).toBe(200);
    const attrTags = (((await s.call('GET', `/attributes/view/${String(a.id)}`, undefined, owner.key)).json as J).Attribute.Tag as J[]).map((t) => t.name);
    expect(attrTags).toEqual([userTag.name]);
    // Bad restrictions are refused, and nothing is written.
    const noOrg = await s.call('POST', '/tags/add', { name: 'restricted to nobody', org_id: '999999' });
    expect([noOrg.status, (noOrg.json as J).field]).toEqual([400, 'Tag.org_id']);
    expect([(await s.call('POST', '/tags/add', { name: 'restricted to nobody', user_id: 'x' })).status]).toEqual([400]);
    expect(((await s.call('GET', '/tags/index')).json as J).Tag.map((t: J) => t.name)).not.toContain('restricted to nobody');
    expect((await s.call('POST', `/tags/edit/${String(orgTag.id)}`, { org_id: '999999' })).status).toBe(400);
  });

  it('records and lists sightings', async () => {
    const ev = ((await s.call('POST', '/events/add', anEvent({ Attribute: [{ type: 'ip-dst', value: '198.18.0.77' }] }))).json as J).Event;
    const a = ev.Attribute[0];
    const one = await s.call('POST', `/sightings/add/${a.id}`, { source: 'honeypot' });
    expect((one.json as J).Sighting.source).toBe('honeypot');
    const byValue = await s.call('POST', '/sightings/add', { value: '198.18.0.77', type: '1' });
    expect((byValue.json as J).Sighting.type).toBe('1');
    const list = await s.call('POST', '/sightings/listSightings', { context: 'attribute', id: a.id });
    expect((list.json as J[]).length).toBe(2);
    expect((await s.call('POST', '/sightings/add', { value: '203.0.113.254' })).status).toBe(400);
    const mine = (await s.call('POST', '/sightings/index', {})).json as J[];
    expect(mine.length).toBeGreaterThanOrEqual(2);
    const sid = (one.json as J).Sighting.id;
    expect(((await s.call('POST', `/sightings/delete/${sid}`)).json as J).saved).toBe(true);
    expect((await s.call('POST', `/sightings/delete/${sid}`)).status).toBe(404);
    expect(((await s.call('POST', '/sightings/listSightings', { context: 'attribute', id: a.id })).json as J[]).length).toBe(1);
    expect(s.messages.filter((m) => m.topic === 'misp_json_sighting').length).toBeGreaterThanOrEqual(2);

    // PyMISP's search(controller='attributes', include_sightings=True) sends includeSightings.
    const withSightings = ((await s.call('POST', '/attributes/restSearch', { value: '198.18.0.77', includeSightings: 1 })).json as J).response.Attribute as J[];
    expect(withSightings[0]?.Sighting).toHaveLength(1);
    expect(withSightings[0]?.Sighting[0]).toMatchObject({ attribute_id: String(a.id), type: '1', Organisation: { name: 'ORGNAME' } });
    const without = ((await s.call('POST', '/attributes/restSearch', { value: '198.18.0.77' })).json as J).response.Attribute as J[];
    expect(without[0]?.Sighting).toBeUndefined();
    // Another organisation sees the attribute but not the owner's sighting (MISP's default sighting policy).
    const other = await addOrgUser(s, `Sighting viewer ${engine}`);
    const theirs = ((await s.call('POST', '/attributes/restSearch', { value: '198.18.0.77', includeSightings: 1 }, other.key)).json as J).response.Attribute as J[];
    expect(theirs[0]?.Sighting).toEqual([]);
  });

  it('correlates equal values and CIDR containment across events', async () => {
    const e1 = ((await s.call('POST', '/events/add', anEvent({ info: 'first', Attribute: [{ type: 'domain', value: 'correlate-me.example' }, { type: 'ip-dst', value: '10.20.30.0/24' }] }))).json as J).Event;
    const e2 = ((await s.call('POST', '/events/add', anEvent({ info: 'second', Attribute: [{ type: 'hostname', value: 'correlate-me.example' }] }))).json as J).Event;
    const e3 = ((await s.call('POST', '/events/add', anEvent({ info: 'third', Attribute: [{ type: 'ip-src', value: '10.20.30.40' }] }))).json as J).Event;
    const v1 = ((await s.call('GET', `/events/view/${e1.id}`)).json as J).Event;
    const related = v1.RelatedEvent.map((r: J) => r.Event.id);
    expect(related).toContain(e2.id);
    expect(related).toContain(e3.id);
    expect(v1.RelatedEvent[0].Event.info).toBeTypeOf('string');
    const search = (await s.call('POST', '/attributes/restSearch', { value: '10.20.30.40', includeCorrelations: 1 })).json as J;
    expect(search.response.Attribute[0].RelatedAttribute.map((r: J) => r.event_id)).toContain(e1.id);
  });

  it('accepts concurrent events that introduce the same new tag', async () => {
    const results = await Promise.all([1, 2, 3, 4].map((i) => s.call('POST', '/events/add', anEvent({ info: `race ${i}`, Tag: [{ name: `race:new-tag-${engine}` }] }))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const tags = ((await s.call('GET', '/tags/index')).json as J).Tag.filter((t: J) => t.name === `race:new-tag-${engine}`);
    expect(tags).toHaveLength(1);
  });

  it('does not correlate nested CIDR blocks with each other', async () => {
    const a = ((await s.call('POST', '/events/add', anEvent({ info: 'outer', Attribute: [{ type: 'ip-dst', value: '172.31.0.0/16' }] }))).json as J).Event;
    const b = ((await s.call('POST', '/events/add', anEvent({ info: 'inner', Attribute: [{ type: 'ip-dst', value: '172.31.5.0/24' }] }))).json as J).Event;
    const c = ((await s.call('POST', '/events/add', anEvent({ info: 'host', Attribute: [{ type: 'ip-src', value: '172.31.5.9' }] }))).json as J).Event;
    const related = ((await s.call('GET', `/events/view/${a.id}`)).json as J).Event.RelatedEvent.map((r: J) => r.Event.id);
    expect(related).toContain(c.id);
    expect(related).not.toContain(b.id);
  });

  it('hides events and attributes by distribution and answers 404 for invisible ones', async () => {
    const other = await addOrgUser(s, `Other${engine}`);
    const mine = ((await s.call('POST', '/events/add', anEvent({ info: 'org only', distribution: '0', Attribute: [{ type: 'ip-dst', value: '198.19.1.1' }] }))).json as J).Event;
    const shared = ((await s.call('POST', '/events/add', anEvent({ info: 'community', distribution: '1', Attribute: [{ type: 'ip-dst', value: '198.19.1.2' }, { type: 'ip-dst', value: '198.19.1.3', distribution: '0' }] }))).json as J).Event;
    expect((await s.call('GET', `/events/view/${mine.id}`, undefined, other.key)).status).toBe(404);
    expect((await s.call('HEAD', `/events/view/${mine.id}`, undefined, other.key)).status).toBe(404);
    const seen = ((await s.call('GET', `/events/view/${shared.id}`, undefined, other.key)).json as J).Event;
    expect(seen.Attribute.map((a: J) => a.value)).toEqual(['198.19.1.2']);
    const index = (await s.call('GET', '/events/index', undefined, other.key)).json as J[];
    expect(index.map((e) => e.id)).not.toContain(mine.id);
    const search = (await s.call('POST', '/attributes/restSearch', { value: '198.19.1.%' }, other.key)).json as J;
    expect(search.response.Attribute.map((a: J) => a.value)).toEqual(['198.19.1.2']);
    // Another org cannot edit or delete, and the event stays unchanged.
    expect((await s.call('POST', `/events/delete/${shared.id}`, undefined, other.key)).status).toBe(403);
    expect((await s.call('POST', `/attributes/add/${shared.id}`, { type: 'ip-dst', value: '198.19.1.9' }, other.key)).status).toBe(403);
    expect(((await s.call('GET', `/events/view/${shared.id}`)).json as J).Event.Attribute).toHaveLength(2);
  });

  it('shows who created an event only to site admins and the creator organisation, never in the index', async () => {
    const author = await addOrgUser(s, 'CreatorOrg');
    const colleague = await addOrgUser(s, 'CreatorOrg');
    const outsider = await addOrgUser(s, 'OutsiderOrg');
    const ev = ((await s.call('POST', '/events/add', anEvent({ info: 'Whose is it' }), author.key)).json as J).Event;
    const email = ((await s.call('GET', '/users/view/me', undefined, author.key)).json as J).User.email as string;
    const view = async (key?: string): Promise<J> => ((await s.call('GET', `/events/view/${String(ev.id)}`, undefined, key)).json as J).Event;
    expect((await view(author.key)).event_creator_email).toBe(email);
    expect((await view(colleague.key)).event_creator_email).toBe(email);
    expect((await view()).event_creator_email).toBe(email); // site admin
    expect((await view(outsider.key)).event_creator_email).toBeUndefined();
    expect(JSON.stringify((await s.call('POST', '/events/restSearch', { returnFormat: 'json', eventid: ev.id }, outsider.key)).json)).not.toContain(email);
    for (const key of [undefined, author.key, outsider.key]) {
      const row = ((await s.call('POST', '/events/index', { eventid: ev.id }, key)).json as J[])[0] as J;
      expect(row.info).toBe('Whose is it');
      expect(row).not.toHaveProperty('event_creator_email');
    }
  });
});
