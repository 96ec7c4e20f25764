import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../../test-support/test-server.js';
import { adminOf, servicesOf } from '../../feeds/test-support/feed-fixtures.js';

type J = Record<string, unknown>;

describe.each(testEngines())('event and organisation blocklists (%s)', (engine) => {
  let s: TestServer;
  let user: { key: string; orgId: number };
  let syncKey = '';
  let orgUuid = '';
  const work = mkdtempSync(join(tmpdir(), 'waggle-blocklist-'));

  const simpleEvent = (uuid = randomUUID()): J => ({ uuid, info: 'This is a super simple test', distribution: 0, threat_level_id: 3, analysis: 2, Attribute: [{ type: 'text', value: randomUUID() }] });
  const eventCount = async (): Promise<number> => ((await s.call('GET', '/events/index')).json as unknown[]).length;

  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Test Org', 3);
    syncKey = (await addOrgUser(s, 'Sync Org', 5)).key;
    orgUuid = String(((await s.call('GET', `/organisations/view/${String(user.orgId)}`)).json as { Organisation: J }).Organisation.uuid);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("add_event_blocklist answers MISP's {result: {successes, fails}, message} (test_blocklists: ebl['result']['successes'][0] == first.uuid)", async () => {
    const uuid = randomUUID();
    const r = await s.call('POST', '/eventBlocklists/add', { uuids: [uuid] });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ result: { successes: [uuid], fails: [] }, message: 'Done. Added 1 new entries to the blocklist. 0 entries could not be saved.' });
    // Already listed, not a UUID, not text: each one a failure; the others are still saved.
    const other = randomUUID();
    const mixed = await s.call('POST', '/eventBlocklists/add', { EventBlocklist: { uuids: [uuid, 'nope', 7, ` ${other} `], comment: 'noise', event_info: 'info', event_orgc: 'ORG' } });
    expect(mixed.status, mixed.text).toBe(200);
    expect(mixed.json).toEqual({ result: { successes: [other], fails: [uuid, 'nope', 7] }, message: 'Done. Added 1 new entries to the blocklist. 3 entries could not be saved.' });
    const listed = ((await s.call('GET', '/eventBlocklists/index')).json as { EventBlocklist: J }[]).map((e) => e.EventBlocklist);
    expect(listed.find((e) => e.event_uuid === other)).toMatchObject({ comment: 'noise', event_info: 'info', event_orgc: 'ORG' });
    // MISP's form field: one UUID per line.
    const lines = [randomUUID(), randomUUID()];
    expect(((await s.call('POST', '/eventBlocklists/add', { uuids: lines.join('\n') })).json as J).result).toEqual({ successes: lines, fails: [] });
  });

  it('add refuses a body without uuids, a bad field and a non-admin, writing nothing', async () => {
    const before = ((await s.call('GET', '/eventBlocklists/index')).json as unknown[]).length;
    for (const body of [{}, { uuids: [] }, { uuids: '' }, { uuids: 12 }]) {
      const r = await s.call('POST', '/eventBlocklists/add', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.json as J).message).toBe('Pass a list of uuids via the "uuids" key in the request object.');
    }
    const badComment = await s.call('POST', '/eventBlocklists/add', { uuids: [randomUUID()], comment: { x: 1 } });
    expect(badComment.status).toBe(400);
    expect((badComment.json as J).field).toBe('comment');
    expect((await s.call('POST', '/eventBlocklists/add', { uuids: [randomUUID()] }, user.key)).status).toBe(403);
    expect((await s.call('POST', '/orgBlocklists/add', { uuids: [randomUUID()] }, user.key)).status).toBe(403);
    expect(((await s.call('GET', '/eventBlocklists/index')).json as unknown[]).length).toBe(before);
  });

  it("events/add of a blocklisted UUID answers 403 'Event blocked by event blocklist.' and creates nothing, for any user", async () => {
    const event = simpleEvent();
    await s.call('POST', '/eventBlocklists/add', { uuids: [event.uuid] });
    const before = await eventCount();
    for (const key of [user.key, s.adminKey, syncKey]) {
      const r = await s.call('POST', '/events/add', event, key);
      expect(r.status, r.text).toBe(403);
      expect(r.json).toMatchObject({ name: 'Event blocked by event blocklist.', message: 'Event blocked by event blocklist.', url: '/events/add' });
    }
    // Upper case is the same UUID.
    expect((await s.call('POST', '/events/add', { ...event, uuid: String(event.uuid).toUpperCase() }, user.key)).status).toBe(403);
    expect(await eventCount()).toBe(before);
    expect((await s.call('GET', `/events/view/${String(event.uuid)}`)).status).toBe(404);
  });

  it('update_event_blocklist edits an entry and answers {EventBlocklist}; delete_event_blocklist lifts the block', async () => {
    const event = simpleEvent();
    await s.call('POST', '/eventBlocklists/add', { uuids: [event.uuid] });
    const entry = ((await s.call('GET', '/eventBlocklists/index')).json as { EventBlocklist: J }[]).map((e) => e.EventBlocklist).find((e) => e.event_uuid === event.uuid) as J;
    // PyMISP sends the whole entry back (id, created…), unwrapped.
    const edited = await s.call('POST', `/eventBlocklists/edit/${String(entry.id)}`, { ...entry, comment: 'This is a test', event_info: 'foo', event_orgc: 'bar' });
    expect(edited.status, edited.text).toBe(200);
    expect((edited.json as { EventBlocklist: J }).EventBlocklist).toMatchObject({ id: entry.id, event_uuid: event.uuid, comment: 'This is a test', event_info: 'foo', event_orgc: 'bar' });
    // By UUID, wrapped, one field.
    const byUuid = await s.call('POST', `/eventBlocklists/edit/${String(event.uuid)}`, { EventBlocklist: { comment: 'again' } });
    expect((byUuid.json as { EventBlocklist: J }).EventBlocklist).toMatchObject({ comment: 'again', event_info: 'foo' });
    expect((await s.call('POST', '/eventBlocklists/edit/999999', { comment: 'x' })).status).toBe(404);
    const badUuid = await s.call('POST', `/eventBlocklists/edit/${String(entry.id)}`, { event_uuid: 'not-a-uuid' });
    expect(badUuid.status).toBe(400);
    expect((badUuid.json as J).message).toBe('Could not save the blocklist item.');
    const taken = randomUUID();
    await s.call('POST', '/eventBlocklists/add', { uuids: [taken] });
    expect((await s.call('POST', `/eventBlocklists/edit/${String(entry.id)}`, { event_uuid: taken })).status).toBe(409);
    expect((await s.call('POST', `/eventBlocklists/edit/${String(entry.id)}`, { comment: 'x' }, user.key)).status).toBe(403);
    const still = await s.call('POST', `/eventBlocklists/edit/${String(entry.id)}`, {});
    expect((still.json as { EventBlocklist: J }).EventBlocklist).toMatchObject({ event_uuid: event.uuid, comment: 'again' });

    const del = await s.call('POST', `/eventBlocklists/delete/${String(entry.id)}`);
    expect(del.status, del.text).toBe(200);
    expect((del.json as J).success).toBe(true);
    const added = await s.call('POST', '/events/add', event, user.key);
    expect(added.status, added.text).toBe(200);
  });

  it("events/add by a user of a blocklisted organisation answers 403 'Event blocked by organisation blocklist.' (test_blocklists)", async () => {
    const obl = await s.call('POST', '/orgBlocklists/add', { uuids: [orgUuid] });
    expect(obl.status, obl.text).toBe(200);
    expect(((obl.json as { result: { successes: string[] } }).result.successes)[0]).toBe(orgUuid);
    const before = await eventCount();
    const r = await s.call('POST', '/events/add', simpleEvent(), user.key);
    expect(r.status, r.text).toBe(403);
    expect(r.json).toMatchObject({ name: 'Event blocked by organisation blocklist.', message: 'Event blocked by organisation blocklist.' });
    // A sync user pushing an event created by that organisation.
    const pushed = await s.call('POST', '/events/add', { ...simpleEvent(), timestamp: '1700000000', Orgc: { uuid: orgUuid, name: 'Test Org' } }, syncKey);
    expect(pushed.status, pushed.text).toBe(403);
    expect((pushed.json as J).message).toBe('Event blocked by organisation blocklist.');
    // Other organisations' events are not concerned.
    expect((await s.call('POST', '/events/add', simpleEvent())).status).toBe(200);
    expect(await eventCount()).toBe(before + 1);

    const entry = ((await s.call('GET', '/orgBlocklists/index')).json as { OrgBlocklist: J }[]).map((e) => e.OrgBlocklist).find((e) => e.org_uuid === orgUuid) as J;
    const edited = await s.call('POST', `/orgBlocklists/edit/${String(entry.id)}`, { ...entry, comment: 'This is a test', org_name: 'bar' });
    expect(edited.status, edited.text).toBe(200);
    expect((edited.json as { OrgBlocklist: J }).OrgBlocklist).toMatchObject({ org_uuid: orgUuid, org_name: 'bar', comment: 'This is a test' });
    const again = await s.call('POST', '/orgBlocklists/add', { uuids: orgUuid });
    expect((again.json as { result: J }).result).toEqual({ successes: [], fails: [orgUuid] });
    const del = await s.call('POST', `/orgBlocklists/delete/${String(entry.id)}`);
    expect((del.json as J).success).toBe(true);
    expect((await s.call('POST', '/events/add', simpleEvent(), user.key)).status).toBe(200);
  });

  it('a MISP feed never imports a blocklisted event: the fetch reports it and creates nothing', async () => {
    const services = servicesOf(s);
    const admin = await adminOf(s, services);
    const dir = join(work, 'feed');
    const made = await s.call('POST', '/events/add', { ...simpleEvent(), info: 'feed event', distribution: 1 });
    const uuid = String((made.json as { Event: J }).Event.uuid);
    expect((await s.call('POST', `/events/publish/${uuid}`)).status).toBe(200);
    await services.feeds.export(dir, admin);
    expect((await s.call('POST', `/events/delete/${uuid}`)).status).toBe(200);
    await s.call('POST', '/eventBlocklists/add', { uuids: [uuid] });
    const feed = await s.call('POST', '/feeds/add', { Feed: { name: 'blocked-feed', provider: 'x', url: dir, input_source: 'local', source_format: 'misp', enabled: true } });
    expect(feed.status, feed.text).toBe(200);
    const report = (await s.call('GET', `/feeds/fetchFromFeed/${String((feed.json as { Feed: J }).Feed.id)}`)).json as J;
    expect(report.added, JSON.stringify(report)).toBe(0);
    expect(JSON.stringify(report.errors)).toContain('Event blocked by event blocklist.');
    expect((await s.call('GET', `/events/view/${uuid}`)).status).toBe(404);
  });
});
