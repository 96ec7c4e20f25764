import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusMessage } from '@waggle/bus';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, unknown>;

describe.each(testEngines())('events/pushEventToZMQ (%s)', (engine) => {
  let s: TestServer;
  let user: { key: string };
  let publisher: { key: string };
  let other: { key: string };
  let event: J;

  const received = (since: number): BusMessage[] => s.messages.slice(since).filter((m) => m.topic === 'misp_json');

  beforeAll(async () => {
    s = await startTestServer(engine);
    user = await addOrgUser(s, 'Test Org', 3);
    publisher = await addOrgUser(s, 'Test Org', 4);
    other = await addOrgUser(s, 'Other Org', 4);
    const added = await s.call('POST', '/events/add', { info: 'This is a super simple test', distribution: 0, Attribute: [{ type: 'ip-dst', value: '198.51.100.9' }], Tag: [{ name: 'tlp:amber' }] }, user.key);
    expect(added.status, added.text).toBe(200);
    event = (added.json as { Event: J }).Event;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("republishes the whole event on misp_json and answers 'Event published to ZMQ' (test_zmq: r['message'])", async () => {
    const since = s.messages.length;
    const before = ((await s.call('GET', `/events/view/${String(event.id)}`)).json as { Event: J }).Event;
    const r = await s.call('POST', `/events/pushEventToZMQ/${String(event.id)}.json`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ saved: true, success: true, name: 'Event published to ZMQ', message: 'Event published to ZMQ', url: `/events/pushEventToZMQ/${String(event.id)}`, id: String(event.id) });
    const pushed = received(since);
    expect(pushed).toHaveLength(1);
    const payload = pushed[0]?.payload as { Event: J; action: string };
    expect(payload.action).toBe('publish');
    expect(payload.Event).toMatchObject({ id: String(event.id), uuid: event.uuid, info: 'This is a super simple test' });
    expect((payload.Event.Attribute as J[]).map((a) => a.value)).toEqual(['198.51.100.9']);
    expect((payload.Event.Tag as J[]).map((t) => t.name)).toEqual(['tlp:amber']);
    // Nothing stored changes: not published, same timestamp.
    const after = ((await s.call('GET', `/events/view/${String(event.id)}`)).json as { Event: J }).Event;
    expect([after.published, after.timestamp]).toEqual([before.published, before.timestamp]);
  });

  it('a subscriber of the bus receives it; by UUID too, and from a publisher of the organisation (perm_publish_zmq)', async () => {
    const got: BusMessage[] = [];
    const sub = await s.bus.subscribe('misp_json', (m) => {
      got.push(m);
    });
    const r = await s.call('POST', `/events/pushEventToZMQ/${String(event.uuid)}`, undefined, publisher.key);
    expect(r.status, r.text).toBe(200);
    await sub.unsubscribe();
    expect(got.map((m) => (m.payload as { Event: J }).Event.uuid)).toEqual([event.uuid]);
  });

  it("refuses roles without perm_publish_zmq with MISP's ACL message, and unknown or invisible events with 404, publishing nothing", async () => {
    const since = s.messages.length;
    const denied = await s.call('POST', `/events/pushEventToZMQ/${String(event.id)}`, undefined, user.key);
    expect(denied.status).toBe(403);
    expect((denied.json as J).message).toBe('You do not have permission to use this functionality.');
    // An org-only event of another organisation: as if it did not exist.
    const invisible = await s.call('POST', `/events/pushEventToZMQ/${String(event.id)}`, undefined, other.key);
    expect(invisible.status).toBe(404);
    expect((invisible.json as J).message).toBe('Invalid event.');
    for (const ref of ['999999', '5f0c3c7e-2222-4a2b-9c3d-00000000dead', 'nonsense']) {
      expect((await s.call('POST', `/events/pushEventToZMQ/${ref}`)).status, ref).toBe(404);
    }
    expect((await s.call('GET', `/events/pushEventToZMQ/${String(event.id)}`)).status).toBe(404);
    expect(received(since)).toEqual([]);
  });
});
