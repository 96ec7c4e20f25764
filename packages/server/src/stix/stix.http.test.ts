import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStixSchemas } from '../../../stix/src/test-support/stix-schemas.js';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const phishing: J = {
  info: 'Phishing wave',
  distribution: '1',
  threat_level_id: '2',
  analysis: '1',
  published: true,
  Attribute: [
    { type: 'ip-dst', value: '198.51.100.7', category: 'Network activity', to_ids: true, comment: 'c2' },
    { type: 'domain', value: 'evil.example.com', category: 'Network activity', to_ids: true },
    { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', category: 'Payload delivery', to_ids: false },
    { type: 'url', value: 'http://evil.example.com/login', category: 'Network activity', to_ids: true },
    { type: 'text', value: 'free text note', category: 'Other', to_ids: false },
  ],
  Tag: [{ name: 'tlp:green' }, { name: 'type:OSINT' }],
};

const ransom: J = {
  info: 'Ransomware drop',
  distribution: '3',
  threat_level_id: '1',
  analysis: '2',
  published: true,
  Attribute: [
    { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', category: 'Payload delivery', to_ids: true },
    { type: 'ip-dst', value: '203.0.113.9', category: 'Network activity', to_ids: true },
    { type: 'email-src', value: 'bad@evil.example.com', category: 'Payload delivery', to_ids: false },
  ],
  Tag: [{ name: 'tlp:amber' }],
};

/** What must survive a STIX round trip: (type, category, value, to_ids) of every attribute, and the tag names. */
function essence(e: J): { attributes: string[]; tags: string[]; info: string } {
  return {
    info: e.info,
    attributes: (e.Attribute as J[]).map((a) => `${a.type}|${a.category}|${a.value}|${String(a.to_ids)}`).sort(),
    tags: (e.Tag as J[]).map((t) => t.name as string).sort(),
  };
}

describe.each(testEngines())('STIX 2.1 in the MISP API on %s', (engine) => {
  let s1: TestServer;
  let s2: TestServer;
  const uuids: string[] = [];
  const count = async (s: TestServer): Promise<number> => ((await s.call('GET', '/events/index')).json as J[]).length;

  beforeAll(async () => {
    [s1, s2] = await Promise.all([startTestServer(engine), startTestServer(engine)]);
    for (const e of [phishing, ransom]) {
      const r = await s1.call('POST', '/events/add', e);
      expect(r.status).toBe(200);
      uuids.push((r.json as J).Event.uuid);
    }
  });
  afterAll(async () => {
    await Promise.all([s1.close(), s2.close()]);
  });

  it('answers events/restSearch with returnFormat stix2 as a streamed, schema-valid bundle', async () => {
    const r = await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2' });
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^application\/stix\+json/);
    const bundle = r.json as J;
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(loadStixSchemas().invalidObjects(bundle as never)).toEqual([]);
    const reports = (bundle.objects as J[]).filter((o) => o.type === 'report');
    expect(reports.map((o) => o.id).sort()).toEqual(uuids.map((u) => `report--${u}`).sort());
    // The creator identity is shared by both events and listed once.
    const ids = (bundle.objects as J[]).map((o) => `${o.id}|${o.modified ?? ''}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect((bundle.objects as J[]).filter((o) => o.type === 'identity')).toHaveLength(1);

    const filtered = (await s1.call('GET', '/events/restSearch/stix2?eventinfo=Ransomware')).json as J;
    expect(filtered.objects.filter((o: J) => o.type === 'report').map((o: J) => o.name)).toEqual(['Ransomware drop']);
    const none = (await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2', eventinfo: 'nothing like this' })).json as J;
    expect(none.objects).toEqual([]);
  });

  it('answers attributes/restSearch with returnFormat stix2 with the matching attributes only', async () => {
    const r = await s1.call('POST', '/attributes/restSearch', { returnFormat: 'stix2', type: 'ip-dst' });
    expect(r.status).toBe(200);
    const bundle = r.json as J;
    expect(loadStixSchemas().invalidObjects(bundle as never)).toEqual([]);
    const indicators = (bundle.objects as J[]).filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.pattern).sort()).toEqual(["[ipv4-addr:value = '198.51.100.7']", "[ipv4-addr:value = '203.0.113.9']"]);
    expect((bundle.objects as J[]).some((o) => o.type === 'report' || o.type === 'observed-data')).toBe(false);
    expect((await s1.call('POST', '/objects/restSearch', { returnFormat: 'stix2' })).status).toBe(400);
  });

  it('imports an exported bundle into a second server with the same values, types and tags, and re-imports idempotently', async () => {
    const bundle = (await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2' })).json as J;
    const up = await s2.call('POST', '/events/upload_stix/2', bundle);
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ saved: true, success: true });
    expect((up.json as J).message).toMatch(/^STIX document imported, event's created: \d+, \d+\.$/);
    expect(((up.json as J).events as J[]).map((e) => e.action)).toEqual(['added', 'added']);
    for (const uuid of uuids) {
      const original = ((await s1.call('GET', `/events/view/${uuid}`)).json as J).Event;
      const copy = ((await s2.call('GET', `/events/view/${uuid}`)).json as J).Event;
      expect(essence(copy)).toEqual(essence(original));
      expect(copy.published).toBe(true);
    }
    const again = await s2.call('POST', '/events/upload_stix/2', bundle);
    expect(((again.json as J).events as J[]).map((e) => e.action)).toEqual(['updated', 'updated']);
    expect(await count(s2)).toBe(2);
  });

  it('answers a one-event upload with the event, as MISP does (also as application/stix+json)', async () => {
    const bundle = (await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2', eventinfo: 'Phishing' })).json as J;
    const target = await startTestServer(engine);
    try {
      const res = await target.app.inject({ method: 'POST', url: '/events/upload_stix/2', headers: { authorization: target.adminKey, 'content-type': 'application/stix+json;version=2.1', accept: 'application/json' }, payload: JSON.stringify(bundle) });
      expect(res.statusCode).toBe(200);
      const event = (JSON.parse(res.body) as J).Event;
      expect(event.uuid).toBe(uuids[0]);
      expect(essence(event)).toEqual(essence(((await s1.call('GET', `/events/view/${uuids[0] as string}`)).json as J).Event));
    } finally {
      await target.close();
    }
  });

  it('refuses bad bundles with 400 and the reason, storing nothing', async () => {
    const target = await startTestServer(engine);
    try {
      const bad: [unknown, RegExp][] = [
        [{ foo: 1 }, /bundle/i],
        [{ type: 'bundle', id: 'bundle--nope', objects: [] }, /id/i],
        [{ type: 'bundle', id: 'bundle--6f7c1f3e-5b0a-4c2e-9a57-2f0d6c1b8e41', objects: 'x' }, /objects/i],
        [{ type: 'bundle', id: 'bundle--6f7c1f3e-5b0a-4c2e-9a57-2f0d6c1b8e41', objects: [{ type: 'indicator', id: 'malware--6f7c1f3e-5b0a-4c2e-9a57-2f0d6c1b8e41' }] }, /indicator|type/i],
        [{ type: 'bundle', id: 'bundle--6f7c1f3e-5b0a-4c2e-9a57-2f0d6c1b8e41', objects: [] }, /nothing/i],
        [[1, 2], /bundle/i],
      ];
      for (const [body, message] of bad) {
        const r = await target.call('POST', '/events/upload_stix/2', body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect((r.json as J).message).toMatch(message);
      }
      expect((await target.call('POST', '/events/upload_stix/2', '{"type": "bundle", ')).status).toBe(400);
      const good = (await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2' })).json;
      const v1 = await target.call('POST', '/events/upload_stix/1', good);
      expect(v1.status).toBe(400);
      expect((v1.json as J).message).toMatch(/STIX 2/);
      expect(await count(target)).toBe(0);

      const reader = await addOrgUser(target, 'Readers', 6);
      expect((await target.call('POST', '/events/upload_stix/2', good, reader.key)).status).toBe(403);
      expect((await target.call('POST', '/events/upload_stix/2', good, '')).status).toBe(403);
      expect(await count(target)).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('undoes the events an upload created when a later event cannot be written', async () => {
    const target = await startTestServer(engine);
    try {
      const uploader = await addOrgUser(target, 'Uploader', 2);
      const other = await addOrgUser(target, 'Other', 2);
      // The second event's uuid exists on the target, hidden from the uploader (org-only event of another org).
      const clash = await target.call('POST', '/events/add', { ...ransom, uuid: uuids[1], distribution: '0' }, other.key);
      expect(clash.status).toBe(200);
      const bundle = (await s1.call('POST', '/events/restSearch', { returnFormat: 'stix2' })).json as J;
      const r = await target.call('POST', '/events/upload_stix/2', bundle, uploader.key);
      expect(r.status).toBe(409);
      expect((r.json as J).message).toMatch(/Event 2 of the bundle .*nothing was imported/);
      expect((await target.call('GET', `/events/view/${uuids[0] as string}`)).status).toBe(404);
      expect(await count(target)).toBe(1);
    } finally {
      await target.close();
    }
  });
});
