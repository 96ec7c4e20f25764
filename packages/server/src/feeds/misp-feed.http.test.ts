import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { adminOf, feedContent, serveFolder, servicesOf, type FileServer } from './test-support/feed-fixtures.js';

type Json = Record<string, unknown>;

describe.each(testEngines())('MISP feeds between two instances (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  let http: FileServer;
  const work = mkdtempSync(join(tmpdir(), 'waggle-feed-'));
  const dir = join(work, 'feed');
  const uuids: string[] = [];
  let unpublished = '';
  let orgKey = '';

  const exportA = async (): Promise<Json> => {
    const services = servicesOf(a);
    return (await services.feeds.export(dir, await adminOf(a, services))) as unknown as Json;
  };
  const view = async (server: TestServer, ref: string): Promise<Json> => {
    const res = await server.call('GET', `/events/view/${ref}`);
    expect(res.status).toBe(200);
    return (res.json as { Event: Json }).Event;
  };
  const addFeed = async (server: TestServer, feed: Json): Promise<Json> => {
    const res = await server.call('POST', '/feeds/add', { Feed: { provider: 'Org A', source_format: 'misp', enabled: true, ...feed } });
    expect(res.status, res.text).toBe(200);
    return (res.json as { Feed: Json }).Feed;
  };
  const fetchFeed = async (server: TestServer, id: unknown): Promise<Json> => {
    const res = await server.call('GET', `/feeds/fetchFromFeed/${String(id)}`);
    expect(res.status, res.text).toBe(200);
    return res.json as Json;
  };

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startTestServer(engine), startTestServer(engine), startTestServer(engine)]);
    orgKey = (await addOrgUser(a, 'OrgA', 4)).key;
    const events: Json[] = [
      { info: 'Feed event one', threat_level_id: 2, analysis: 1, Tag: [{ name: 'tlp:clear' }], Attribute: [{ type: 'ip-dst', value: '198.51.100.7', comment: 'c2', Tag: [{ name: 'kill-chain:c2' }] }, { type: 'domain', value: 'evil.example', to_ids: false }] },
      { info: 'Feed event two', Attribute: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }], Object: [{ name: 'domain-ip', Attribute: [{ object_relation: 'domain', type: 'domain', value: 'objects.example' }, { object_relation: 'ip', type: 'ip-dst', value: '203.0.113.5' }] }] },
      { info: 'Feed event three', Attribute: [{ type: 'url', value: 'https://evil.example/gate' }] },
    ];
    for (const e of events) {
      const res = await a.call('POST', '/events/add', e, orgKey);
      expect(res.status, res.text).toBe(200);
      const ev = (res.json as { Event: Json }).Event;
      expect((await a.call('POST', `/events/publish/${String(ev.id)}`, undefined, orgKey)).status).toBe(200);
      uuids.push(String(ev.uuid));
    }
    const draft = await a.call('POST', '/events/add', { info: 'Not published', Attribute: [{ type: 'ip-dst', value: '192.0.2.99' }] }, orgKey);
    unpublished = String((draft.json as { Event: Json }).Event.uuid);
    http = await serveFolder(dir);
  });

  afterAll(async () => {
    await http?.close();
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('exports published events only, incrementally', async () => {
    const first = await exportA();
    expect([...(first.written as string[])].sort()).toEqual([...uuids].sort());
    expect(first.written).not.toContain(unpublished);
    const again = await exportA();
    expect(again.written).toEqual([]);
    expect((again.unchanged as string[]).length).toBe(3);
  });

  it('imports every event over HTTP with the same uuids, attributes, objects and tags, then a local copy changes nothing', async () => {
    const tag = await b.call('POST', '/tags/add', { Tag: { name: 'feed:org-a', colour: '#123456' } });
    const tagId = (tag.json as { Tag: Json }).Tag.id;
    const net = await addFeed(b, { name: 'org-a-http', url: http.url, distribution: 3, tag_id: tagId });
    const report = await fetchFeed(b, net.id);
    expect(report).toMatchObject({ ok: true, added: 3, updated: 0, errors: [] });
    expect(String(report.result)).toContain('Downloaded 3 new event(s)');
    for (const uuid of uuids) {
      const [src, dst] = [await view(a, uuid), await view(b, uuid)];
      expect(feedContent(dst)).toEqual(feedContent(src));
      expect((feedContent(src).attributes as unknown[]).length + (feedContent(src).objects as unknown[]).length).toBeGreaterThan(0);
      expect(dst.distribution).toBe('3');
      expect(((dst.Attribute as Json[])[0] as Json).distribution).toBe('5');
      expect((dst.Tag as Json[]).map((t) => t.name)).toContain('feed:org-a');
      expect((dst.Orgc as Json).name).toBe('OrgA');
    }
    expect((await b.call('GET', `/events/view/${unpublished}`)).status).toBe(404);

    const before = await Promise.all(uuids.map((u) => view(b, u)));
    const second = await fetchFeed(b, net.id);
    expect(second).toMatchObject({ ok: true, added: 0, updated: 0, unchanged: 3 });
    const local = await addFeed(b, { name: 'org-a-folder', url: dir, input_source: 'local' });
    expect(await fetchFeed(b, local.id)).toMatchObject({ ok: true, added: 0, updated: 0, unchanged: 3 });
    const after = await Promise.all(uuids.map((u) => view(b, u)));
    expect(after.map((e) => e.timestamp)).toEqual(before.map((e) => e.timestamp));
    const feed = (await b.call('GET', `/feeds/view/${String(net.id)}`)).json as { Feed: Json };
    expect(feed.Feed.last_error).toBe('');
    expect(Number(feed.Feed.last_fetched)).toBeGreaterThan(0);
  });

  it('updates an event edited on the source instance', async () => {
    const uuid = uuids[0] as string;
    const src = await view(a, uuid);
    const changed = (src.Attribute as Json[]).find((x) => x.value === 'evil.example') as Json;
    const edit = await a.call('POST', `/events/edit/${uuid}`, { Event: { info: 'Feed event one (revised)', Attribute: [{ uuid: changed.uuid, type: 'domain', value: 'evil.example', comment: 'now commented', timestamp: Number(changed.timestamp) + 100 }, { type: 'ip-src', value: '192.0.2.44' }] } }, orgKey);
    expect(edit.status, edit.text).toBe(200);
    expect((await a.call('POST', `/events/publish/${uuid}`, undefined, orgKey)).status).toBe(200);
    expect((await exportA()).written).toEqual([uuid]);

    const feeds = ((await b.call('GET', '/feeds/index')).json as { Feed: Json }[]).map((f) => f.Feed);
    const net = feeds.find((f) => f.name === 'org-a-http') as Json;
    expect(await fetchFeed(b, net.id)).toMatchObject({ ok: true, added: 0, updated: 1, unchanged: 2 });
    expect(feedContent(await view(b, uuid))).toEqual(feedContent(await view(a, uuid)));
  });

  it('reports a broken manifest in the report and last_error, and completes on the next fetch', async () => {
    const broken = join(work, 'broken-manifest');
    cpSync(dir, broken, { recursive: true });
    writeFileSync(join(broken, 'manifest.json'), '{"not": "a manifest"');
    const feed = await addFeed(c, { name: 'broken', url: broken, input_source: 'local' });
    const report = await fetchFeed(c, feed.id);
    expect(report.ok).toBe(false);
    expect(String(report.result)).toContain('Fetching the feed has failed');
    expect(((report.errors as Json[])[0] as Json).message).toContain('manifest.json');
    const stored = ((await c.call('GET', `/feeds/view/${String(feed.id)}`)).json as { Feed: Json }).Feed;
    expect(String(stored.last_error)).toContain('manifest.json');
    for (const uuid of uuids) expect((await c.call('GET', `/events/view/${uuid}`)).status).toBe(404);

    cpSync(join(dir, 'manifest.json'), join(broken, 'manifest.json'));
    expect(await fetchFeed(c, feed.id)).toMatchObject({ ok: true, added: 3 });
    expect(((await c.call('GET', `/feeds/view/${String(feed.id)}`)).json as { Feed: Json }).Feed.last_error).toBe('');
  });

  it('imports the other events when one file is garbage and the connection is cut on another, then resumes', async () => {
    const d = await startTestServer(engine);
    const mixed = join(work, 'mixed');
    cpSync(dir, mixed, { recursive: true });
    const [garbage, cut, fine] = uuids as [string, string, string];
    writeFileSync(join(mixed, `${garbage}.json`), '{"Event": {"uuid": "garbage"');
    const server = await serveFolder(mixed);
    server.cut.add(`${cut}.json`);
    try {
      const feed = await addFeed(d, { name: 'mixed', url: server.url });
      const report = await fetchFeed(d, feed.id);
      expect(report).toMatchObject({ ok: false, added: 1 });
      const errors = report.errors as Json[];
      expect(errors.map((e) => e.uuid).sort()).toEqual([garbage, cut].sort());
      expect((errors.find((e) => e.uuid === cut) as Json).retryable).toBe(true);
      expect(String((errors.find((e) => e.uuid === garbage) as Json).message)).toContain(`${garbage}.json`);
      expect((await d.call('GET', `/events/view/${fine}`)).status).toBe(200);
      expect((await d.call('GET', `/events/view/${cut}`)).status).toBe(404);
      const stored = ((await d.call('GET', `/feeds/view/${String(feed.id)}`)).json as { Feed: Json }).Feed;
      expect(String(stored.last_error)).toMatch(/^2 problems/);

      server.cut.clear();
      cpSync(join(dir, `${garbage}.json`), join(mixed, `${garbage}.json`));
      const requestsBefore = server.requests.length;
      expect(await fetchFeed(d, feed.id)).toMatchObject({ ok: true, added: 2, unchanged: 1 });
      // Only the manifest and the two missing events were downloaded again.
      expect(server.requests.slice(requestsBefore).sort()).toEqual(['manifest.json', `${garbage}.json`, `${cut}.json`].sort());
      for (const uuid of uuids) expect(feedContent(await view(d, uuid))).toEqual(feedContent(await view(a, uuid)));
    } finally {
      await server.close();
      await d.close();
    }
  });

  it('forgets events removed from the manifest without deleting them', async () => {
    const shrunk = join(work, 'shrunk');
    cpSync(dir, shrunk, { recursive: true });
    const feed = await addFeed(c, { name: 'shrinking', url: shrunk, input_source: 'local' });
    await fetchFeed(c, feed.id);
    const manifest = JSON.parse(String(await import('node:fs').then((fs) => fs.readFileSync(join(shrunk, 'manifest.json'), 'utf8')))) as Json;
    delete manifest[uuids[2] as string];
    writeFileSync(join(shrunk, 'manifest.json'), JSON.stringify(manifest));
    expect(await fetchFeed(c, feed.id)).toMatchObject({ ok: true, forgotten: 1 });
    expect((await c.call('GET', `/events/view/${uuids[2] as string}`)).status).toBe(200);
  });
});
