import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any


describe.each(testEngines())('provenance of events shared between two instances (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let bOnA: string;
  let aOnB: string;

  const addPublished = async (s: TestServer, info: string, distribution = 3): Promise<J> => {
    const r = await s.call('POST', '/events/add', { info, distribution: String(distribution), Attribute: [{ type: 'domain', value: `${info.replace(/\W+/g, '-')}.example` }] });
    expect(r.status, r.text).toBe(200);
    const ev = (r.json as J).Event;
    expect((await s.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    return ev;
  };
  const trail = async (s: TestServer, ref: string, key?: string): Promise<J> => {
    const r = await s.call('GET', `/provenance/events/${ref}`, undefined, key);
    expect(r.status, r.text).toBe(200);
    return r.json as J;
  };

  beforeAll(async () => {
    a = await startTestServer(engine);
    b = await startTestServer(engine);
    const aUrl = await listen(a);
    const bUrl = await listen(b);
    const bSyncOnA = await addOrgUser(a, `ProvPartnerB${engine}`, 5);
    const aSyncOnB = await addOrgUser(b, `ProvPartnerA${engine}`, 5);
    bOnA = ((await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: aSyncOnB.key, push: true, remote_org_id: bSyncOnA.orgId } })).json as J).Server.id;
    aOnB = ((await b.call('POST', '/servers/add', { Server: { name: 'A', url: aUrl, authkey: bSyncOnA.key, pull: true, remote_org_id: aSyncOnB.orgId } })).json as J).Server.id;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('records a push on the sender and its receipt on the receiver, with the same content digest', async () => {
    const ev = await addPublished(a, 'Provenance pushed');
    expect(((await a.call('POST', `/servers/push/${bOnA}/full`)).json as J).success).toBe(true);
    const sent = await trail(a, String(ev.uuid));
    expect(sent.Event).toMatchObject({ uuid: ev.uuid, info: 'Provenance pushed' });
    const actions = (sent.entries as J[]).map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['add', 'publish']);
    const push = (sent.entries as J[]).find((e) => e.action === 'push') as J;
    expect(push.change).toMatchObject({ peer: { server_id: Number(bOnA), server: 'B' }, outcome: 'created', anonymised: false, event_uuid: ev.uuid });
    expect(push.change.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Entries come in chain order, each hash recomputes, and the signed head covers them.
    const seqs = (sent.entries as J[]).map((e) => e.seq as number);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect((sent.entries as J[]).every((e) => e.hash_ok === true && /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(sent.head.size).toBeGreaterThanOrEqual(Math.max(...seqs));
    expect(sent.head.signature).toEqual(expect.any(String));

    const got = await trail(b, String(ev.uuid));
    const receipt = (got.entries as J[]).find((e) => e.action === 'receive') as J;
    expect(receipt.change).toMatchObject({ peer: { org: `ProvPartnerA${engine}` }, outcome: 'created', digest: push.change.digest });
    expect(receipt.Organisation.name).toBe(`ProvPartnerA${engine}`);

    // Pushing again changes nothing on the receiver and records nothing more.
    expect(((await a.call('POST', `/servers/push/${bOnA}/full`)).json as J).success).toBe(true);
    expect(((await trail(a, String(ev.uuid))).entries as J[]).filter((e) => e.action === 'push')).toHaveLength(1);
  });

  it('records a pull with the server it came from; an edit pulled later is recorded again', async () => {
    const ev = await addPublished(a, 'Provenance pulled');
    expect(((await b.call('POST', `/servers/pull/${aOnB}/full`)).json as J).success).toBe(true);
    const pulled = (((await trail(b, String(ev.uuid))).entries as J[]).filter((e) => e.action === 'pull'));
    expect(pulled).toHaveLength(1);
    expect(pulled[0]?.change).toMatchObject({ peer: { server_id: Number(aOnB), server: 'A' }, outcome: 'created' });
    expect((await a.call('POST', `/events/edit/${String(ev.id)}`, { info: 'Provenance pulled, edited' })).status).toBe(200);
    expect((await a.call('POST', `/events/publish/${String(ev.id)}`)).status).toBe(200);
    expect(((await b.call('POST', `/servers/pull/${aOnB}/full`)).json as J).success).toBe(true);
    const again = ((await trail(b, String(ev.uuid))).entries as J[]).filter((e) => e.action === 'pull');
    expect(again.map((e) => e.change.outcome)).toEqual(['created', 'updated']);
    expect(again[1]?.change.digest).not.toBe(again[0]?.change.digest);
    // The serving side recorded each fetch by B's sync user, with the digest B recorded.
    const served = ((await trail(a, String(ev.uuid))).entries as J[]).filter((e) => e.action === 'serve');
    expect(served.map((e) => e.change.digest)).toEqual(again.map((e) => e.change.digest));
    expect(served[0]?.change).toMatchObject({ peer: { org: `ProvPartnerB${engine}` }, outcome: 'sent', event_uuid: ev.uuid });
    // Reads by ordinary users are not shares and leave no entry.
    expect((await a.call('GET', `/events/view/${String(ev.id)}`)).status).toBe(200);
    expect(((await trail(a, String(ev.uuid))).entries as J[]).filter((e) => e.action === 'serve')).toHaveLength(2);
  });

  it('shows a trail only to who may see the event, and the hashed user and address only to site admins', async () => {
    const secret = await addPublished(a, 'Provenance private', 0);
    const outsider = await addOrgUser(a, `ProvOutsider${engine}`, 3);
    expect((await a.call('GET', `/provenance/events/${String(secret.uuid)}`, undefined, outsider.key)).status).toBe(404);
    const shared = await addPublished(a, 'Provenance community', 1);
    const seen = await trail(a, String(shared.id), outsider.key);
    expect(seen.entries.length).toBeGreaterThan(0);
    expect(seen.entries[0]).not.toHaveProperty('ip');
    expect(seen.entries[0]).not.toHaveProperty('user_id');
    expect(seen.entries[0].hash_ok).toBe(true);
    expect((await trail(a, String(shared.id))).entries[0]).toHaveProperty('ip');
    expect((await a.call('GET', '/provenance/events/999999')).status).toBe(404);
  });
});
