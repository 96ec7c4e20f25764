import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { forEachEngine } from '../test-support/engines.js';
import { createBlocklists } from './blocklists.js';
import { createFeedStore } from './feed-store.js';
import { createIntelDocuments } from './intel-documents.js';
import type { FeedRecord } from './records.js';
import { createSqlSyncState } from './sync-state.js';

const aFeed = (over: Partial<Omit<FeedRecord, 'id'>> = {}): Omit<FeedRecord, 'id'> => ({
  name: 'CIRCL OSINT', provider: 'CIRCL', url: 'https://example.test/feed', source_format: 'misp', enabled: true, caching_enabled: true,
  distribution: 3, sharing_group_id: 0, tag_id: 0, input_source: 'network', settings: '{}', rules: '{}', headers: '',
  fixed_event: false, event_id: 0, delta_merge: false, lookup_visible: false, last_fetched: 0, last_error: '', created: 1, ...over,
});

forEachEngine('sharing tables', (getCtx) => {
  const db = (): Kysely<Database> => getCtx().db as Kysely<Database>;

  it('keeps one sync cursor per server and direction, and lists logs newest first', async () => {
    const s = createSqlSyncState(db(), () => 100);
    expect(await s.get('1', 'pull')).toBeUndefined();
    await s.set('1', 'pull', { timestamp: 10, uuid: 'a' });
    await s.set('1', 'pull', { timestamp: 20, uuid: 'b' });
    await s.set('1', 'push', { timestamp: 5, uuid: 'c' });
    expect(await s.get('1', 'pull')).toEqual({ timestamp: 20, uuid: 'b' });
    expect(await s.get('1', 'push')).toEqual({ timestamp: 5, uuid: 'c' });
    await s.log({ at: 1, serverId: '1', direction: 'pull', level: 'error', message: 'remote down', code: 'unavailable' });
    await s.log({ at: 2, serverId: '1', direction: 'pull', level: 'info', message: 'done', eventUuid: 'e' });
    const logs = await s.listLogs({ serverId: 1 });
    expect(logs.map((l) => [l.message, l.details, l.event_uuid])).toEqual([['done', '', 'e'], ['remote down', 'unavailable', '']]);
    await s.reset(1);
    expect(await s.get('1', 'pull')).toBeUndefined();
    await expect(s.get('x', 'pull')).rejects.toThrow(/not a stored server/);
  });

  it('blocks events and organisations case-insensitively and refuses duplicates', async () => {
    const b = createBlocklists(db());
    await b.blockEvent({ event_uuid: 'AAAAAAAA-0000-4000-8000-000000000001', event_info: 'spam', event_orgc: 'X', comment: '', created: 1 });
    await expect(b.blockEvent({ event_uuid: 'aaaaaaaa-0000-4000-8000-000000000001', event_info: '', event_orgc: '', comment: '', created: 1 })).rejects.toMatchObject({ code: 'conflict' });
    await b.blockOrg({ org_uuid: 'bbbbbbbb-0000-4000-8000-000000000002', org_name: 'Noisy', comment: '', created: 1 });
    expect(await b.isBlocked('aaaaaaaa-0000-4000-8000-000000000001', undefined)).toBe(true);
    expect(await b.isBlocked('cccccccc-0000-4000-8000-000000000003', 'BBBBBBBB-0000-4000-8000-000000000002')).toBe(true);
    expect(await b.isBlocked('cccccccc-0000-4000-8000-000000000003', 'dddddddd-0000-4000-8000-000000000004')).toBe(false);
    await b.unblockEvent('aaaaaaaa-0000-4000-8000-000000000001');
    expect(await b.isBlocked('aaaaaaaa-0000-4000-8000-000000000001', undefined)).toBe(false);
    await expect(b.unblockOrg('eeeeeeee-0000-4000-8000-000000000005')).rejects.toMatchObject({ code: 'not_found' });
    expect((await b.listOrgBlocks()).map((o) => o.org_name)).toEqual(['Noisy']);
  });

  it('stores feeds with their import state and value cache, and finds feeds holding a value', async () => {
    const f = createFeedStore(db());
    const a = await f.insertFeed(aFeed());
    const off = await f.insertFeed(aFeed({ name: 'disabled', enabled: false }));
    await expect(f.insertFeed(aFeed())).rejects.toMatchObject({ code: 'conflict' });
    expect((await f.getFeed('CIRCL OSINT'))?.id).toBe(a.id);
    expect((await f.getFeed(String(a.id)))?.enabled).toBe(true);
    await f.recordImportedEvent(a.id, 'e1', 10);
    await f.recordImportedEvent(a.id, 'e1', 12);
    await f.recordImportedEvent(a.id, 'e2', 11);
    expect(await f.importedEvents(a.id)).toEqual(new Map([['e1', 12], ['e2', 11]]));
    await f.forgetImportedEvents(a.id, ['e2']);
    expect([...(await f.importedEvents(a.id)).keys()]).toEqual(['e1']);
    expect(await f.replaceValueHashes(a.id, [{ hash: 'ABC', event_uuid: 'e1' }, { hash: 'def', event_uuid: 'e1' }])).toBe(2);
    await f.replaceValueHashes(off.id, [{ hash: 'abc', event_uuid: 'x' }]);
    const holding = await f.feedsHolding(['abc', 'zzz']);
    expect([...holding.keys()]).toEqual(['abc']);
    expect(holding.get('abc')?.map((x) => x.name)).toEqual(['CIRCL OSINT']);
    expect((await f.updateFeed(a.id, { last_error: 'timeout', last_fetched: 99 })).last_error).toBe('timeout');
    await f.deleteFeed(a.id);
    expect(await f.getFeed(a.id)).toBeUndefined();
    expect((await f.feedsHolding(['def'])).size).toBe(0);
    await expect(f.deleteFeed(a.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('upserts MISP data set documents and keeps their enabled flag', async () => {
    const d = createIntelDocuments(db(), () => 5);
    expect(await d.upsert('taxonomy', 'tlp', '1', '{"namespace":"tlp"}', true)).toBe('added');
    expect(await d.upsert('taxonomy', 'tlp', '1', '{"namespace":"tlp"}', true)).toBe('unchanged');
    await d.setEnabled('taxonomy', 'tlp', false);
    expect(await d.upsert('taxonomy', 'tlp', '2', '{"namespace":"tlp","version":2}', true)).toBe('updated');
    const [tlp] = await d.list('taxonomy', { withDocument: true });
    expect(tlp).toMatchObject({ name: 'tlp', version: '2', enabled: false, document: '{"namespace":"tlp","version":2}' });
    expect(await d.list('taxonomy', { enabledOnly: true })).toEqual([]);
    expect(await d.list('warninglist')).toEqual([]);
    await expect(d.setEnabled('galaxy', 'nope', true)).rejects.toMatchObject({ code: 'not_found' });
  });
});
