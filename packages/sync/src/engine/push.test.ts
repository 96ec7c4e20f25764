import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '@waggle/errors';
import { objectsIn, type JsonObject } from '../model/misp-json.js';
import { parseSyncRules } from '../model/sync-rules.js';
import type { SyncServer } from '../model/sync-server.js';
import { aServer, aSharingGroup, anAttribute, anEvent, anObject, uuidFor, REMOTE_ORG } from '../test-support/builders.js';
import { startFakeRemote, type FakeRemote } from '../test-support/fake-remote.js';
import { createMemoryLocalSide, type MemoryLocalSide } from '../test-support/memory-local-side.js';
import { createMemoryStateStore, type MemoryStateStore } from '../test-support/memory-state-store.js';
import { pull } from './pull.js';
import { push } from './push.js';

let fake: FakeRemote;
let local: MemoryLocalSide;
let state: MemoryStateStore;
let server: SyncServer;

beforeEach(async () => {
  fake = await startFakeRemote();
  local = createMemoryLocalSide();
  state = createMemoryStateStore();
  server = aServer({ id: '7', url: fake.url, authkey: new Secret(fake.authkey), timeoutMs: 400 });
});
afterEach(async () => {
  await fake.close();
});

const run = (s: SyncServer = server, extra: Partial<Parameters<typeof push>[1]> = {}) => push(s, { local, state, ...extra });
const localEvent = (n: number, extra: JsonObject = {}) => anEvent({ uuid: uuidFor(n, 1), timestamp: String(1000 + n), ...extra });
/** Everything the remote received in add/edit bodies. */
const received = () => fake.requests.filter((r) => /^\/events\/(add|edit)/.test(r.path)).map((r) => (r.body as { Event: JsonObject }).Event);

describe('push', () => {
  it('applies the distribution matrix: only 2, 3 and member sharing groups leave', async () => {
    const member = aSharingGroup({ servers: [{ serverId: '7' }], orgUuids: [REMOTE_ORG.uuid] });
    const nonMember = aSharingGroup({ servers: [{ serverId: '8', allOrgs: true }], orgUuids: [REMOTE_ORG.uuid] });
    local.put(localEvent(1, { distribution: '0', info: 'org only' }));
    local.put(localEvent(2, { distribution: '1', info: 'community' }));
    local.put(localEvent(3, { distribution: '2', info: 'connected' }));
    local.put(localEvent(4, { distribution: '3', info: 'all' }));
    local.put(localEvent(5, { distribution: '4', info: 'sg member', SharingGroup: member }));
    local.put(localEvent(6, { distribution: '4', info: 'sg other', SharingGroup: nonMember }));
    const report = await run();
    expect(report).toMatchObject({ listed: 6, fetched: 3, created: 3, skipped: 3, failed: 0 });
    expect([...fake.events.values()].map((e) => e.info).sort()).toEqual(['all', 'connected', 'sg member']);
    // Nothing of the org-only or community events went over the wire, not even a HEAD.
    const wire = JSON.stringify(fake.requests);
    for (const n of [1, 2, 6]) expect(wire).not.toContain(uuidFor(n, 1));
    expect(fake.events.get(uuidFor(3, 1))?.distribution).toBe('1');
    expect(state.cursors.get('7:push')).toEqual({ timestamp: 1006, uuid: uuidFor(6, 1) });
  });

  it('filters attributes and objects inside the event, 5 inheriting', async () => {
    local.put(
      localEvent(1, {
        Attribute: [anAttribute({ distribution: '0', comment: 'private' }), anAttribute({ distribution: '5', comment: 'inherit' }), anAttribute({ distribution: '2', comment: 'connected' })],
        Object: [anObject({ distribution: '1', comment: 'community object', Attribute: [anAttribute({ distribution: '5', comment: 'inside community object' })] }), anObject({ distribution: '5', comment: 'shared object' })],
        Tag: [{ name: 'tlp:green' }, { name: 'local-only', local: true }],
      }),
    );
    await run();
    const [sentEvent] = received();
    expect(objectsIn(sentEvent?.Attribute).map((a) => [a.comment, a.distribution])).toEqual([
      ['inherit', '5'],
      ['connected', '1'],
    ]);
    expect(objectsIn(sentEvent?.Object).map((o) => o.comment)).toEqual(['shared object']);
    expect(JSON.stringify(received())).not.toContain('private');
    expect(JSON.stringify(received())).not.toContain('local-only');
  });

  it('applies push rules', async () => {
    local.put(localEvent(1, { Tag: [{ name: 'tlp:green' }], info: 'green' }));
    local.put(localEvent(2, { Tag: [{ name: 'tlp:red' }], info: 'red' }));
    local.put(localEvent(3, { info: 'untagged' }));
    const ruled = aServer({ ...server, pushRules: parseSyncRules({ tags: { OR: ['tlp:green', 'tlp:red'], NOT: ['tlp:red'] } }) });
    const report = await run(ruled);
    expect(report).toMatchObject({ created: 1, skipped: 2 });
    expect([...fake.events.values()].map((e) => e.info)).toEqual(['green']);
  });

  it('pushes edits and soft deletions again and is idempotent', async () => {
    local.put(localEvent(1, { Attribute: [anAttribute({ comment: 'stays', timestamp: '1000' }), anAttribute({ comment: 'goes', timestamp: '1000' })] }));
    expect((await run()).created).toBe(1);
    const second = await run();
    expect(second).toMatchObject({ listed: 0, fetched: 0, created: 0, updated: 0 });
    const edited = structuredClone(local.events.get(uuidFor(1, 1)) as JsonObject);
    edited.timestamp = '5000';
    edited.info = 'edited';
    const attribute = objectsIn(edited.Attribute)[1] as JsonObject;
    attribute.deleted = true;
    attribute.timestamp = '5000';
    local.put(edited as never);
    const third = await run();
    expect(third).toMatchObject({ updated: 1 });
    expect(fake.events.get(uuidFor(1, 1))?.info).toBe('edited');
    expect(objectsIn(fake.events.get(uuidFor(1, 1))?.Attribute).map((a) => [a.comment, a.deleted])).toEqual([
      ['stays', false],
      ['goes', true],
    ]);
    // MISP pushes only events with a live attribute (attribute_count > 0): deleting the last one stays local.
    const allGone = structuredClone(edited);
    allGone.timestamp = '6000';
    (objectsIn(allGone.Attribute)[0] as JsonObject).deleted = true;
    local.put(allGone as never);
    expect(await run()).toMatchObject({ skipped: 1, updated: 0 });
  });

  it('a failure holds the cursor, later events are still sent, the next run retries', async () => {
    for (let n = 1; n <= 3; n++) local.put(localEvent(n));
    fake.faults.push({ method: 'POST', pathPrefix: '/events/add', kind: 'status', status: 400, times: 1 });
    // Event 1 is refused (400): the cursor stays before it; events 2 and 3 still go.
    const report = await run();
    expect(report).toMatchObject({ created: 2, failed: 1, aborted: false });
    expect(report.errors[0]).toMatchObject({ eventUuid: uuidFor(1, 1), code: 'invalid_input' });
    expect(state.cursors.get('7:push')).toBeUndefined();
    const again = await run();
    expect(again).toMatchObject({ created: 1, unchanged: 2, failed: 0 });
    expect(state.cursors.get('7:push')?.uuid).toBe(uuidFor(3, 1));
  });

  it('an outage stops the run; a wrong key or a non-sync user aborts before sending', async () => {
    for (let n = 1; n <= 3; n++) local.put(localEvent(n));
    fake.faults.push({ method: 'HEAD', pathPrefix: '/events/view', kind: 'hang' });
    const hung = await run();
    expect(hung).toMatchObject({ aborted: true, failed: 1, created: 0 });
    expect(hung.errors[0]?.message).toMatch(/timed out/);
    fake.faults.length = 0;

    const wrongKey = await run(aServer({ ...server, authkey: new Secret('bad') }));
    expect(wrongKey).toMatchObject({ aborted: true });
    expect(wrongKey.errors[0]?.code).toBe('unauthenticated');
    fake.permSync = false;
    const notSync = await run();
    expect(notSync.errors[0]).toMatchObject({ code: 'forbidden' });
    expect(fake.events.size).toBe(0);
  });

  it('pages through the local events', async () => {
    for (let n = 1; n <= 25; n++) local.put(localEvent(n));
    const report = await run(server, { pageSize: 10 });
    expect(report).toMatchObject({ listed: 25, created: 25 });
    expect(fake.events.size).toBe(25);
  });

  it('sends sightings inside attributes only when push_sightings is on', async () => {
    local.put(localEvent(1, { Attribute: [anAttribute({ Sighting: [{ uuid: 's1', type: '0', date_sighting: '1700000000' }] })] }));
    await run();
    expect(JSON.stringify(received())).not.toContain('s1');
    fake.events.clear();
    fake.requests.length = 0;
    state.cursors.clear();
    await run(aServer({ ...server, pushSightings: true }));
    expect(JSON.stringify(received())).toContain('s1');
  });

  it('does nothing when push is switched off', async () => {
    local.put(localEvent(1));
    expect((await run(aServer({ ...server, push: false }))).disabled).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it('round trip: a pushed connected-communities event pulled back is this-community, then org-only', async () => {
    local.put(localEvent(1, { distribution: '2', Attribute: [anAttribute({ distribution: '2' })] }));
    await run();
    const other = createMemoryLocalSide();
    await pull(server, { local: other, state: createMemoryStateStore() });
    const pulled = other.events.get(uuidFor(1, 1));
    expect(pulled?.distribution).toBe('0');
    expect(objectsIn(pulled?.Attribute)[0]?.distribution).toBe('0');
  });

  it('refuses a local side that returns events without a timestamp or out of order', async () => {
    const broken = createMemoryLocalSide();
    broken.eventsForPush = async () => [anEvent({ timestamp: undefined })];
    const noTimestamp = await push(server, { local: broken, state });
    expect(noTimestamp).toMatchObject({ aborted: true, failed: 1 });
    expect(noTimestamp.errors[0]?.message).toMatch(/no timestamp/);
    const looping = createMemoryLocalSide();
    const same = localEvent(1);
    looping.eventsForPush = async () => Array.from({ length: 100 }, () => same);
    const loop = await push(server, { local: looping, state: createMemoryStateStore() });
    expect(loop.aborted).toBe(true);
    expect(loop.errors.at(-1)?.message).toMatch(/at or before the cursor/);
  });
});
