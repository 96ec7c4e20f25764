import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { serveFolder, type FileServer } from './test-support/feed-fixtures.js';

type Json = Record<string, unknown>;

describe.each(testEngines())('CSV and freetext feeds, feed cache and overlap (%s)', (engine) => {
  let s: TestServer;
  let http: FileServer;
  const work = mkdtempSync(join(tmpdir(), 'waggle-textfeed-'));
  const text = join(work, 'report.txt');
  const csv = join(work, 'list.csv');

  const addFeed = async (feed: Json): Promise<Json> => {
    const res = await s.call('POST', '/feeds/add', { Feed: { provider: 'Test', enabled: true, ...feed } });
    expect(res.status, res.text).toBe(200);
    return (res.json as { Feed: Json }).Feed;
  };
  const fetchFeed = async (id: unknown): Promise<Json> => {
    const res = await s.call('POST', `/feeds/fetchFromFeed/${String(id)}`);
    expect(res.status, res.text).toBe(200);
    return res.json as Json;
  };
  const feedOf = async (id: unknown): Promise<Json> => ((await s.call('GET', `/feeds/view/${String(id)}`)).json as { Feed: Json }).Feed;
  const values = async (eventId: unknown, deleted = false): Promise<string[]> => {
    const ev = ((await s.call('GET', `/events/view/${String(eventId)}${deleted ? '/deleted:1' : ''}`)).json as { Event: Json }).Event;
    return (ev.Attribute as Json[]).filter((a) => deleted || a.deleted !== true).map((a) => String(a.value)).sort();
  };

  beforeAll(async () => {
    s = await startTestServer(engine);
    http = await serveFolder(work);
  });
  afterAll(async () => {
    await http?.close();
    await s?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('freetext into a fixed event: created once, deduplicated, delta merge removes values that left the feed', async () => {
    writeFileSync(text, 'C2 at hxxps[:]//evil[.]example/gate and 198.51.100.23, also 198.51.100.23 again; CVE-2024-3094.\n');
    const tag = ((await s.call('POST', '/tags/add', { Tag: { name: 'feed:osint-text' } })).json as { Tag: Json }).Tag;
    const feed = await addFeed({ name: 'text', url: text, input_source: 'local', source_format: 'freetext', fixed_event: true, delta_merge: true, tag_id: tag.id, distribution: 1 });
    const first = await fetchFeed(feed.id);
    expect(first).toMatchObject({ ok: true, added: 1, attributesAdded: 3 });
    const eventId = first.eventId;
    expect((await feedOf(feed.id)).event_id).toBe(String(eventId));
    expect(await values(eventId)).toEqual(['198.51.100.23', 'CVE-2024-3094', 'https://evil.example/gate']);
    const ev = ((await s.call('GET', `/events/view/${String(eventId)}`)).json as { Event: Json }).Event;
    expect(ev.info).toBe('text feed');
    expect(ev.distribution).toBe('1');
    expect((ev.Tag as Json[]).map((t) => t.name)).toEqual(['feed:osint-text']);

    expect(await fetchFeed(feed.id)).toMatchObject({ ok: true, added: 0, updated: 0, unchanged: 1, attributesAdded: 0 });
    expect(await values(eventId)).toHaveLength(3);

    writeFileSync(text, 'Now only 198.51.100.23 and evil2.example.com remain.');
    expect(await fetchFeed(feed.id)).toMatchObject({ ok: true, updated: 1, attributesAdded: 1, attributesRemoved: 2, eventId });
    expect(await values(eventId)).toEqual(['198.51.100.23', 'evil2.example.com']);
    expect(await values(eventId, true)).toHaveLength(4);
  });

  it('freetext without delta merge keeps values that left the feed', async () => {
    writeFileSync(join(work, 'keep.txt'), '203.0.113.80 203.0.113.81');
    const feed = await addFeed({ name: 'keep', url: join(work, 'keep.txt'), input_source: 'local', source_format: 'freetext', fixed_event: true, delta_merge: false });
    const { eventId } = await fetchFeed(feed.id);
    writeFileSync(join(work, 'keep.txt'), '203.0.113.82');
    expect(await fetchFeed(feed.id)).toMatchObject({ attributesAdded: 1, attributesRemoved: 0 });
    expect(await values(eventId)).toEqual(['203.0.113.80', '203.0.113.81', '203.0.113.82']);
  });

  it('CSV over HTTP: a new event per fetch without fixed_event, override_ids, bad rows counted', async () => {
    writeFileSync(csv, '# comment\nid;indicator;note\n1;198.51.100.61;first\n2;not an indicator at all;x\n3;bad.example;second\n');
    const feed = await addFeed({ name: 'csv', url: `${http.url}list.csv`, source_format: 'csv', fixed_event: false, override_ids: true, settings: { csv: { value: '2', delimiter: ';', comment: 3, headerRow: true } } });
    const one = await fetchFeed(feed.id);
    expect(one).toMatchObject({ ok: true, added: 1, attributesAdded: 2, rejectedRows: 1 });
    const two = await fetchFeed(feed.id);
    expect(two.eventId).not.toBe(one.eventId);
    const ev = ((await s.call('GET', `/events/view/${String(two.eventId)}`)).json as { Event: Json }).Event;
    expect((ev.Attribute as Json[]).map((a) => [a.value, a.to_ids, a.comment])).toEqual(expect.arrayContaining([['198.51.100.61', false, 'first'], ['bad.example', false, 'second']]));
  });

  it('CSV into an existing fixed event adds only what the event does not hold; a missing target event is reported', async () => {
    const target = (await s.call('POST', '/events/add', { info: 'Target', Attribute: [{ type: 'ip-dst', value: '198.51.100.61' }] })).json as { Event: Json };
    const feed = await addFeed({ name: 'csv-fixed', url: csv, input_source: 'local', source_format: 'csv', fixed_event: true, event_id: target.Event.id, settings: { csv: { value: '2', delimiter: ';', headerRow: true } } });
    expect(await fetchFeed(feed.id)).toMatchObject({ ok: true, updated: 1, attributesAdded: 1, eventId: Number(target.Event.id) });
    expect(await values(target.Event.id)).toEqual(['198.51.100.61', 'bad.example']);
    expect((await s.call('POST', `/events/delete/${String(target.Event.id)}`)).status).toBe(200);
    const report = await fetchFeed(feed.id);
    expect(report.ok).toBe(false);
    expect(String(((report.errors as Json[])[0] as Json).message)).toContain(`target event ${String(target.Event.id)}`);
    expect((await feedOf(feed.id)).last_error).toContain('no longer exists');
  });

  it('a missing or unreachable text feed is reported, not thrown', async () => {
    const gone = await addFeed({ name: 'gone', url: `${http.url}nothing.txt`, source_format: 'freetext' });
    const report = await fetchFeed(gone.id);
    expect(report).toMatchObject({ ok: false, added: 0 });
    expect(String(((report.errors as Json[])[0] as Json).message)).toContain('does not exist');
  });

  it('caches feeds and adds Feed to attributes of event views with includeFeedCorrelations', async () => {
    const local = (await s.call('POST', '/events/add', { info: 'Local sighting', distribution: 3, Attribute: [{ type: 'ip-src', value: '198.51.100.23' }, { type: 'domain|ip', value: 'evil2.example.com|192.0.2.200' }, { type: 'ip-dst', value: '192.0.2.1' }] })).json as { Event: Json };
    const id = String(local.Event.id);
    const feeds = ((await s.call('GET', '/feeds/index')).json as { Feed: Json }[]).map((f) => f.Feed);
    const text = feeds.find((f) => f.name === 'text') as Json;
    const keep = feeds.find((f) => f.name === 'keep') as Json;
    expect((await s.call('POST', `/feeds/cacheFeeds/${String(text.id)}`)).status).toBe(400);
    for (const f of [text, keep]) expect((await s.call('POST', `/feeds/edit/${String(f.id)}`, { Feed: { caching_enabled: true } })).status).toBe(200);
    const cached = await s.call('GET', '/feeds/cacheFeeds/freetext');
    expect(cached.json).toMatchObject({ success: true, successes: 2, fails: 0 });

    const hitsOf = async (key?: string): Promise<Record<string, unknown>> => {
      const ev = ((await s.call('GET', `/events/view/${id}/includeFeedCorrelations:1`, undefined, key)).json as { Event: Json }).Event;
      return Object.fromEntries((ev.Attribute as Json[]).map((a) => [a.value, a.Feed]));
    };
    const hits = await hitsOf();
    expect(hits['198.51.100.23']).toEqual([{ id: String(text.id), name: 'text', url: text.url, provider: 'Test', source_format: 'freetext' }]);
    expect((hits['evil2.example.com|192.0.2.200'] as Json[]).map((f) => f.name)).toEqual(['text']);
    expect(hits['192.0.2.1']).toBeUndefined();
    const plain = ((await s.call('GET', `/events/view/${id}`)).json as { Event: Json }).Event;
    expect((plain.Attribute as Json[]).every((a) => a.Feed === undefined)).toBe(true);

    const { key } = await addOrgUser(s, 'OtherOrg', 3);
    expect((await hitsOf(key))['198.51.100.23']).toBeUndefined();
    await s.call('POST', `/feeds/edit/${String(text.id)}`, { Feed: { lookup_visible: true } });
    expect((await hitsOf(key))['198.51.100.23']).toHaveLength(1);

    const compared = (await s.call('GET', '/feeds/compareFeeds')).json as { Feed: Json }[];
    const textRow = compared.find((r) => r.Feed.name === 'text')?.Feed as Json;
    expect(textRow.values).toBe(2);
    expect(textRow.ComparedFeed).toEqual([expect.objectContaining({ name: 'keep', overlap_count: 0, overlap_percentage: 0 })]);

    await s.call('POST', `/feeds/edit/${String(text.id)}`, { Feed: { caching_enabled: false } });
    expect((await hitsOf())['198.51.100.23']).toBeUndefined();
  });
});
