import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '@waggle/errors';
import { objectsIn, type JsonObject } from '../model/misp-json.js';
import { parseSyncRules } from '../model/sync-rules.js';
import type { SyncServer } from '../model/sync-server.js';
import { aServer, anAttribute, anEvent, uuidFor, REMOTE_ORG } from '../test-support/builders.js';
import { startFakeRemote, type FakeRemote } from '../test-support/fake-remote.js';
import { createMemoryLocalSide, type MemoryLocalSide } from '../test-support/memory-local-side.js';
import { createMemoryStateStore, type MemoryStateStore } from '../test-support/memory-state-store.js';
import { pull } from './pull.js';

let fake: FakeRemote;
let local: MemoryLocalSide;
let state: MemoryStateStore;
let server: SyncServer;

beforeEach(async () => {
  fake = await startFakeRemote();
  local = createMemoryLocalSide();
  state = createMemoryStateStore();
  server = aServer({ url: fake.url, authkey: new Secret(fake.authkey), timeoutMs: 400 });
});
afterEach(async () => {
  await fake.close();
});

const run = (s: SyncServer = server, extra: Partial<Parameters<typeof pull>[1]> = {}) => pull(s, { local, state, clock: () => 1_800_000_000_000, ...extra });
const remoteEvent = (n: number, ts: number, extra: JsonObject = {}) =>
  anEvent({ uuid: uuidFor(n, 1), timestamp: String(ts), Orgc: { ...REMOTE_ORG }, Attribute: [anAttribute({ uuid: uuidFor(n, 2), distribution: '1' })], ...extra });

describe('pull', () => {
  it('creates new events, downgraded, and saves the cursor; a second run changes nothing', async () => {
    fake.put(remoteEvent(1, 1000, { distribution: '2' }));
    fake.put(remoteEvent(2, 2000));
    fake.put(remoteEvent(3, 3000, { published: false }));
    const report = await run();
    expect(report).toMatchObject({ listed: 2, fetched: 2, created: 2, failed: 0, aborted: false, errors: [] });
    const first = local.events.get(uuidFor(1, 1));
    expect(first?.distribution).toBe('1');
    expect(objectsIn(first?.Attribute)[0]?.distribution).toBe('0');
    expect(first?.locked).toBe(true);
    expect(local.events.has(uuidFor(3, 1))).toBe(false);
    expect(state.cursors.get('7:pull')).toEqual({ timestamp: 2000, uuid: uuidFor(2, 1) });

    const viewsBefore = fake.count('/events/view');
    const again = await run();
    expect(again).toMatchObject({ fetched: 0, created: 0, updated: 0, failed: 0 });
    expect(fake.count('/events/view')).toBe(viewsBefore);
    expect(local.saves).toHaveLength(2);
  });

  it('is incremental: asks the index from the cursor minus the overlap and fetches only newer events', async () => {
    fake.put(remoteEvent(1, 1000));
    await run();
    fake.put(remoteEvent(2, 5000));
    const report = await run(server, { overlapSeconds: 60 });
    expect(report).toMatchObject({ listed: 2, unchanged: 1, fetched: 1, created: 1 });
    const index = fake.requests.filter((r) => r.path === '/events/index').at(-1);
    expect(index?.body).toMatchObject({ timestamp: 940, minimal: 1, published: 1 });
  });

  it('propagates edits and soft deletions', async () => {
    const original = remoteEvent(1, 1000, { Attribute: [anAttribute({ uuid: uuidFor(1, 2), timestamp: '1000', distribution: '3' }), anAttribute({ uuid: uuidFor(2, 2), timestamp: '1000', distribution: '3' })] });
    fake.put(original);
    await run();
    const edited = structuredClone(original);
    edited.timestamp = '2000';
    edited.info = 'renamed';
    const attrs = objectsIn(edited.Attribute);
    (attrs[1] as JsonObject).deleted = true;
    (attrs[1] as JsonObject).timestamp = '2000';
    fake.put(edited);
    const report = await run();
    expect(report).toMatchObject({ fetched: 1, updated: 1 });
    const mine = local.events.get(original.uuid);
    expect(mine?.info).toBe('renamed');
    expect(objectsIn(mine?.Attribute).map((a) => a.deleted)).toEqual([false, true]);
  });

  it('skips blocklisted events and organisations without downloading them', async () => {
    fake.put(remoteEvent(1, 1000));
    fake.put(remoteEvent(2, 2000));
    local.blockedEvents.add(uuidFor(1, 1));
    const report = await run();
    expect(report).toMatchObject({ skipped: 1, created: 1 });
    local.blockedOrgs.add(REMOTE_ORG.uuid);
    fake.put(remoteEvent(3, 3000));
    const second = await run();
    expect(second.created).toBe(0);
    expect(fake.requests.some((r) => r.path.startsWith(`/events/view/${uuidFor(3, 1)}`))).toBe(false);
    expect(local.events.has(uuidFor(3, 1))).toBe(false);
  });

  it('applies pull rules: sent as index filters and checked again on the event', async () => {
    fake.put(remoteEvent(1, 1000, { Tag: [{ name: 'tlp:green' }] }));
    fake.put(remoteEvent(2, 2000, { Tag: [{ name: 'tlp:red' }] }));
    fake.put(remoteEvent(3, 3000, { Tag: [{ name: 'tlp:green' }], Attribute: [anAttribute({ type: 'email-src', value: 'a@b.test' }), anAttribute()] }));
    const ruled = aServer({ ...server, pullRules: parseSyncRules({ tags: { NOT: ['tlp:red'] }, type_attributes: { NOT: ['email-src'] } }) });
    const report = await run(ruled);
    expect(report.created).toBe(2);
    expect(fake.requests.find((r) => r.path === '/events/index')?.body).toMatchObject({ tag: ['!tlp:red'] });
    expect(local.events.has(uuidFor(2, 1))).toBe(false);
    expect(objectsIn(local.events.get(uuidFor(3, 1))?.Attribute).map((a) => a.type)).toEqual(['ip-dst']);


    // A remote that ignores the filter cannot sneak an event in: it is checked again after download.
    fake.honourFilters = false;
    fake.put(remoteEvent(4, 4000, { Tag: [{ name: 'tlp:red' }] }));
    const second = await run(ruled);
    expect(second).toMatchObject({ created: 0, skipped: 1, failed: 0 });
    expect(local.events.has(uuidFor(4, 1))).toBe(false);
    const orgRuled = aServer({ ...server, id: '8', pullRules: parseSyncRules({ orgs: { NOT: [REMOTE_ORG.uuid] } }) });
    const third = await run(orgRuled);
    expect(third).toMatchObject({ created: 0, fetched: 0, skipped: 4 });
  });

  it('a cut connection fails that event only; the cursor stops before it and the next run completes', async () => {
    for (let n = 1; n <= 4; n++) fake.put(remoteEvent(n, 1000 * n));
    fake.faults.push({ pathPrefix: `/events/view/${uuidFor(2, 1)}`, kind: 'cut', times: 1 });
    const report = await run(server, { concurrency: 1 });
    expect(report.failed).toBe(1);
    expect(report.errors[0]).toMatchObject({ eventUuid: uuidFor(2, 1), code: 'unavailable', retryable: true });
    expect(report.errors[0]?.message).toContain(`/events/view/${uuidFor(2, 1)}`);
    expect(state.cursors.get('7:pull')).toEqual({ timestamp: 1000, uuid: uuidFor(1, 1) });
    expect(state.entries.some((e) => e.level === 'error' && e.eventUuid === uuidFor(2, 1))).toBe(true);

    const resumed = await run(server, { concurrency: 1 });
    expect(resumed.failed).toBe(0);
    expect([...local.events.keys()].sort()).toEqual([1, 2, 3, 4].map((n) => uuidFor(n, 1)).sort());
    expect(state.cursors.get('7:pull')).toEqual({ timestamp: 4000, uuid: uuidFor(4, 1) });
  });

  it('a save failure is retried next run and later successes are kept', async () => {
    for (let n = 1; n <= 3; n++) fake.put(remoteEvent(n, 1000 * n));
    local.failSaves.add(uuidFor(2, 1));
    const report = await run();
    expect(report).toMatchObject({ created: 2, failed: 1, aborted: false });
    expect(report.errors[0]?.message).toMatch(/disk full/);
    expect(state.cursors.get('7:pull')?.uuid).toBe(uuidFor(1, 1));
    local.failSaves.clear();
    const again = await run();
    expect(again).toMatchObject({ created: 1, fetched: 1, failed: 0 });
    expect(state.cursors.get('7:pull')?.uuid).toBe(uuidFor(3, 1));
  });

  it('a hanging remote aborts the run with a timeout and keeps the cursor', async () => {
    fake.put(remoteEvent(1, 1000));
    await run();
    fake.put(remoteEvent(2, 2000));
    fake.faults.push({ pathPrefix: '/events/view', kind: 'hang' });
    const report = await run();
    expect(report.aborted).toBe(true);
    expect(report.errors[0]?.message).toMatch(/timed out/);
    expect(state.cursors.get('7:pull')?.uuid).toBe(uuidFor(1, 1));
  });

  it('garbage, HTTP 500 and a wrong key abort the run with a clear error and no change', async () => {
    fake.put(remoteEvent(1, 1000));
    fake.faults.push({ pathPrefix: '/events/index', kind: 'garbage', times: 1 });
    const garbage = await run();
    expect(garbage).toMatchObject({ aborted: true, created: 0 });
    expect(garbage.errors[0]).toMatchObject({ code: 'internal', retryable: false });
    expect(garbage.errors[0]?.message).toMatch(/not JSON/);

    fake.faults.push({ pathPrefix: '/events/index', kind: 'status', status: 500, times: 1 });
    const failing = await run();
    expect(failing.errors[0]).toMatchObject({ code: 'unavailable', retryable: true });

    const wrongKey = await run(aServer({ ...server, authkey: new Secret('nope') }));
    expect(wrongKey.errors[0]).toMatchObject({ code: 'unauthenticated' });
    expect(local.events.size).toBe(0);
    expect(state.cursors.size).toBe(0);
  });

  it('does nothing when pull is switched off', async () => {
    fake.put(remoteEvent(1, 1000));
    const report = await run(aServer({ ...server, pull: false }));
    expect(report.disabled).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  // Its duration is measured by the sync benchmark (npm run bench -- sync), not here.
  it('a no-op pull over 10,000 events costs two requests and downloads nothing', async () => {
    for (let n = 1; n <= 10_000; n++) {
      const e = remoteEvent(n, 1_000_000 + n);
      fake.put(e);
      local.put(e);
    }
    await state.set('7', 'pull', { timestamp: 1_010_000, uuid: uuidFor(10_000, 1) });
    fake.requests.length = 0;
    const report = await run();
    expect(report).toMatchObject({ fetched: 0, created: 0, failed: 0 });
    expect(fake.requests.map((r) => r.path)).toEqual(['/servers/getVersion', '/events/index']);

    // Without a cursor the whole index is paged, and still nothing is downloaded.
    state.cursors.clear();
    fake.requests.length = 0;
    const full = await run();
    expect(full).toMatchObject({ listed: 10_000, unchanged: 10_000, fetched: 0 });
    expect(fake.count('/events/view')).toBe(0);
    expect(fake.count('/events/index')).toBe(11);
  });
});
