import { DEFAULT_FEEDS } from './default-feeds.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type Json = Record<string, unknown>;

describe.each(testEngines())('feed administration (%s)', (engine) => {
  let s: TestServer;
  let userKey = '';
  const valid: Json = { name: 'osint', provider: 'CIRCL', url: 'https://www.circl.lu/doc/misp/feed-osint', source_format: 'misp', headers: 'Authorization: secret-token' };
  const count = async (): Promise<number> => ((await s.call('GET', '/feeds/index')).json as unknown[]).length;

  beforeAll(async () => {
    s = await startTestServer(engine);
    userKey = (await addOrgUser(s, 'Users', 3)).key;
  });
  afterAll(async () => s?.close());

  it('adds, views, lists, edits, enables, disables and deletes a feed with MISP shapes', async () => {
    const added = await s.call('POST', '/feeds/add', { Feed: valid });
    expect(added.status, added.text).toBe(200);
    const feed = (added.json as { Feed: Json }).Feed;
    expect(feed).toMatchObject({ name: 'osint', provider: 'CIRCL', source_format: 'misp', input_source: 'network', enabled: false, distribution: '0', headers: 'Authorization: secret-token', settings: '{}' });
    expect(typeof feed.id).toBe('string');
    const id = String(feed.id);
    expect(((await s.call('GET', `/feeds/view/${id}`)).json as { Feed: Json }).Feed.name).toBe('osint');
    const list = (await s.call('GET', '/feeds')).json as { Feed: Json }[];
    expect(list.map((f) => f.Feed.id)).toEqual([id]);

    // PyMISP's enable_feed / enable_feed_cache post a partial Feed to feeds/edit.
    const enabled = await s.call('POST', `/feeds/edit/${id}`, { Feed: { id, enabled: true, caching_enabled: true } });
    expect((enabled.json as { Feed: Json }).Feed).toMatchObject({ enabled: true, caching_enabled: true, name: 'osint' });
    expect((await s.call('POST', `/feeds/disable/${id}`)).json).toMatchObject({ success: true, message: 'Feed disabled.' });
    expect(((await s.call('GET', `/feeds/view/${id}`)).json as { Feed: Json }).Feed.enabled).toBe(false);
    const fetchDisabled = await s.call('GET', `/feeds/fetchFromFeed/${id}`);
    expect(fetchDisabled.status).toBe(400);
    expect(fetchDisabled.text).toContain('not enabled');

    // Other users may list feeds but never see their headers (credentials).
    const asUser = (await s.call('GET', `/feeds/view/${id}`, undefined, userKey)).json as { Feed: Json };
    expect(asUser.Feed.headers).toBe('');

    expect((await s.call('POST', `/feeds/delete/${id}`)).json).toMatchObject({ success: true, message: 'Feed deleted.' });
    expect((await s.call('GET', `/feeds/view/${id}`)).status).toBe(404);
    expect((await s.call('POST', `/feeds/delete/${id}`)).status).toBe(404);
    expect((await s.call('GET', '/feeds/fetchFromFeed/999')).status).toBe(404);
  });

  it.each([
    ['a bad URL scheme', { url: 'ftp://example.com/feed' }, 'must use http or https'],
    ['something that is no URL', { url: 'not a url' }, 'is not a valid URL'],
    ['an unknown format', { source_format: 'stix' }, 'source_format "stix" is not supported'],
    ['an unknown input source', { input_source: 'ftp' }, 'input_source "ftp"'],
    ['a relative local path', { input_source: 'local', url: 'feeds/osint' }, 'absolute path'],
    ['no name', { name: '' }, 'Feed.name is required'],
    ['a distribution out of range', { distribution: 7 }, 'Feed.distribution'],
    ['distribution 4 without a sharing group', { distribution: 4 }, 'sharing_group_id is required'],
    ['a sharing group that does not exist', { distribution: 4, sharing_group_id: 99 }, 'sharing group 99 does not exist'],
    ['a tag that does not exist', { tag_id: 4242 }, 'tag 4242 does not exist'],
    ['a fixed event that does not exist', { source_format: 'freetext', fixed_event: true, event_id: 999 }, 'event 999 does not exist'],
    ['a broken CSV mapping', { source_format: 'csv', settings: { csv: { value: '0' } } }, 'settings.csv'],
    ['settings that are not JSON', { settings: '{nope' }, 'Feed.settings must be a JSON object'],
    ['a broken exclude regex', { source_format: 'freetext', settings: { common: { excluderegex: '/(unclosed/' } } }, 'excluderegex'],
    ['a malformed header line', { headers: 'no colon here' }, 'headers line 1'],
    ['a body that is no object', [1, 2], 'Expected a JSON object'],
  ])('rejects %s with a clear error and stores nothing', async (_what, change, message) => {
    const before = await count();
    const body = Array.isArray(change) ? change : { Feed: { ...valid, name: 'bad-input', ...change } };
    const res = await s.call('POST', '/feeds/add', body);
    expect(res.status, res.text).toBe(400);
    expect(String((res.json as Json).message)).toContain(message);
    expect(await count()).toBe(before);
  });

  it('reports every problem at once, refuses duplicate names and leaves a feed unchanged on a bad edit', async () => {
    const res = await s.call('POST', '/feeds/add', { Feed: { name: 'x', provider: '', url: 'ftp://x', source_format: 'xml' } });
    expect(res.status).toBe(400);
    expect((res.json as Json).message).toMatch(/provider is required.*source_format "xml".*http or https/s);
    const first = ((await s.call('POST', '/feeds/add', { Feed: { ...valid, name: 'dup' } })).json as { Feed: Json }).Feed;
    expect((await s.call('POST', '/feeds/add', { Feed: { ...valid, name: 'dup' } })).status).toBe(409);
    const bad = await s.call('POST', `/feeds/edit/${String(first.id)}`, { Feed: { url: 'gopher://x', enabled: true } });
    expect(bad.status).toBe(400);
    expect(((await s.call('GET', `/feeds/view/${String(first.id)}`)).json as { Feed: Json }).Feed).toMatchObject({ url: valid.url, enabled: false });
  });

  it('needs a site administrator for changes, fetches and caching (403), as MISP', async () => {
    const feed = ((await s.call('POST', '/feeds/add', { Feed: { ...valid, name: 'guarded' } })).json as { Feed: Json }).Feed;
    const id = String(feed.id);
    const attempts: [string, string, unknown?][] = [
      ['POST', '/feeds/add', { Feed: { ...valid, name: 'by-user' } }],
      ['POST', `/feeds/edit/${id}`, { Feed: { enabled: true } }],
      ['POST', `/feeds/enable/${id}`],
      ['POST', `/feeds/delete/${id}`],
      ['GET', `/feeds/fetchFromFeed/${id}`],
      ['GET', '/feeds/cacheFeeds/all'],
      ['GET', '/feeds/compareFeeds'],
      ['POST', '/feeds/loadDefaultFeeds'],
    ];
    for (const [method, url, body] of attempts) expect((await s.call(method, url, body, userKey)).status, url).toBe(403);
    expect(((await s.call('GET', `/feeds/view/${id}`)).json as { Feed: Json }).Feed.enabled).toBe(false);
    expect((await s.call('GET', '/feeds/index', undefined, userKey)).status).toBe(200);
  });

  it('loads the default feeds once, disabled, as PyMISP load_default_feeds expects (test_feeds)', async () => {
    const before = await count();
    const res = await s.call('POST', '/feeds/loadDefaultFeeds');
    expect(res.status, res.text).toBe(200);
    const added = (res.json as Json).added as number;
    expect(added).toBeGreaterThanOrEqual(2);
    expect(await count()).toBe(before + added);
    const feeds = ((await s.call('GET', '/feeds/index')).json as { Feed: Json }[]).map((f) => f.Feed);
    const botvrij = feeds.find((f) => f.name === 'The Botvrij.eu Data');
    expect(botvrij).toMatchObject({ url: 'https://www.botvrij.eu/data/feed-osint', source_format: 'misp', enabled: false });
    // Added disabled: nothing is fetched from the internet until an operator enables a feed.
    const defaults = feeds.filter((f) => DEFAULT_FEEDS.some((d) => d.url === f.url));
    expect(defaults).toHaveLength(added);
    for (const f of defaults) expect(f.enabled, String(f.name)).toBe(false);
    const again = await s.call('POST', '/feeds/loadDefaultFeeds');
    expect((again.json as Json).added).toBe(0);
    expect(await count()).toBe(before + added);
  });
});
