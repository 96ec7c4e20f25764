import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyStore, defaultPolicy } from '@waggle/privacy';
import { addOrgUser, startTestServer, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VICTIM = ['10.9.8.7', 'payroll-srv-01', 'mary.major'];
const ATTACKER = ['203.0.113.66', 'drop.evil-cdn.example'];


async function publish(s: TestServer, info: string): Promise<string> {
  const r = await s.call('POST', '/events/add', {
    info,
    distribution: '3',
    Attribute: [
      { type: 'ip-dst', value: VICTIM[0] },
      { type: 'target-machine', value: VICTIM[1] },
      { type: 'target-user', value: VICTIM[2] },
      { type: 'ip-src', value: ATTACKER[0], to_ids: true },
      { type: 'domain', value: ATTACKER[1], to_ids: true },
    ],
  });
  expect(r.status, r.text).toBe(200);
  const id = String((r.json as J).Event.id);
  expect((await s.call('POST', `/events/publish/${id}`)).status).toBe(200);
  return String((r.json as J).Event.uuid);
}

describe('sync with an anonymisation policy on the producing instance', () => {
  let a: TestServer;
  let b: TestServer;
  let aUrl: string;
  let bUrl: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
    keys.add('community');
    a = await startTestServer('sqlite', {}, { privacy: { policy: defaultPolicy(), keys } });
    b = await startTestServer('sqlite');
    aUrl = await listen(a);
    bUrl = await listen(b);
    const bSyncOnA = await addOrgUser(a, 'PartnerB-anon', 5);
    const aSyncOnB = await addOrgUser(b, 'PartnerA-anon', 5);
    ids.bOnA = String(((await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: aSyncOnB.key, push: true, remote_org_id: bSyncOnA.orgId } })).json as J).Server.id);
    ids.aOnB = String(((await b.call('POST', '/servers/add', { Server: { name: 'A', url: aUrl, authkey: bSyncOnA.key, pull: true, remote_org_id: aSyncOnB.orgId } })).json as J).Server.id);
  });
  afterAll(async () => {
    a.app.server.closeAllConnections();
    b.app.server.closeAllConnections();
    await a.close();
    await b.close();
  });

  it('pushes the anonymised event: victim identifiers never reach the other instance, attacker indicators do', async () => {
    const uuid = await publish(a, 'Pushed intrusion at the payroll department');
    const r = (await a.call('POST', `/servers/push/${ids.bOnA}/full`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    const onB = await b.call('GET', `/events/view/${uuid}`);
    expect(onB.status).toBe(200);
    for (const v of VICTIM) expect(onB.text).not.toContain(v);
    for (const v of ATTACKER) expect(onB.text).toContain(v);
    expect(((onB.json as J).Event.Object as J[]).some((o) => o.name === 'anonymisation')).toBe(true);
    // The producer still holds its own event in clear.
    expect((await a.call('GET', `/events/view/${uuid}`)).text).toContain(VICTIM[0]);
  });

  it('serves pulls by the other instance anonymised as well', async () => {
    const uuid = await publish(a, 'Pulled intrusion at the payroll department');
    const r = (await b.call('POST', `/servers/pull/${ids.aOnB}/full`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    const onB = await b.call('GET', `/events/view/${uuid}`);
    expect(onB.status, onB.text).toBe(200);
    for (const v of VICTIM) expect(onB.text).not.toContain(v);
    for (const v of ATTACKER) expect(onB.text).toContain(v);
  });
});
