import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryKeyStore, defaultPolicy } from '@waggle/privacy';
// Tests only: the producer's and consumer's side, as a client would run them.
import { createBackend, createEnvelopes, createFame, decryptEvent, envelopeOpener, envelopeSealer, protectEvent, systemRandom, type Opener, type Sealer } from '../../../abe/src/index.js';
import { startFakeRemote } from '../../../sync/src/test-support/index.js';
import { addOrgUser, startTestServer, type TestServer } from '../test-support/test-server.js';
import { listen } from '../test-support/listening-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VICTIM_PLAIN = '10.9.8.7';
const VICTIM_PROTECTED = '10.9.8.8';


describe('protected attributes across sync, with outbound anonymisation on the producer', () => {
  let a: TestServer;
  let b: TestServer;
  let sealer: Sealer;
  let reader: Opener;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const fame = createFame({ backend: await createBackend('mcl'), random: systemRandom });
    const envelopes = createEnvelopes({ fame, random: systemRandom });
    const { publicKey, masterKey } = fame.setup();
    sealer = envelopeSealer({ envelopes, publicKey });
    reader = envelopeOpener({ envelopes, secretKey: fame.keygen(masterKey, ['role:CERT']) });
    const keys = createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
    keys.add('community');
    a = await startTestServer('sqlite', {}, { privacy: { policy: defaultPolicy(), keys } });
    b = await startTestServer('sqlite');
    const aUrl = await listen(a);
    const bUrl = await listen(b);
    const bSyncOnA = await addOrgUser(a, 'PartnerB-abe', 5);
    const aSyncOnB = await addOrgUser(b, 'PartnerA-abe', 5);
    ids.bOnA = String(((await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: aSyncOnB.key, push: true, remote_org_id: bSyncOnA.orgId } })).json as J).Server.id);
    ids.aOnB = String(((await b.call('POST', '/servers/add', { Server: { name: 'A', url: aUrl, authkey: bSyncOnA.key, pull: true, remote_org_id: aSyncOnB.orgId } })).json as J).Server.id);
  });
  afterAll(async () => {
    a.app.server.closeAllConnections();
    b.app.server.closeAllConnections();
    await a.close();
    await b.close();
  });

  /** Adds and publishes on A an event with one plain and one protected victim address (and a protected object). */
  async function publish(info: string): Promise<{ uuid: string; sent: J }> {
    const [plain, secret, object] = [randomUUID(), randomUUID(), randomUUID()];
    const { event } = await protectEvent({
      Event: {
        info, distribution: '3',
        Attribute: [{ uuid: plain, type: 'ip-dst', value: VICTIM_PLAIN }, { uuid: secret, type: 'ip-dst', value: VICTIM_PROTECTED }],
        Object: [{ uuid: object, name: 'domain-ip', 'meta-category': 'network', Attribute: [{ type: 'domain', object_relation: 'domain', value: 'victim-intranet.example' }] }],
      },
    }, { policy: 'role:CERT', sealer, attributes: [secret], objects: [object] });
    const r = await a.call('POST', '/events/add', event);
    expect(r.status, r.text).toBe(200);
    expect((await a.call('POST', `/events/publish/${String((r.json as J).Event.id)}`)).status).toBe(200);
    return { uuid: String((r.json as J).Event.uuid), sent: event.Event as J };
  }

  async function checkOnB(uuid: string, sent: J): Promise<void> {
    const onB = await b.call('GET', `/events/view/${uuid}`);
    expect(onB.status, onB.text).toBe(200);
    const e = (onB.json as J).Event;
    // The anonymiser ran (the plain victim address is gone) but left the envelopes byte for byte.
    expect(onB.text).not.toContain(VICTIM_PLAIN);
    const byUuid = new Map((e.Attribute as J[]).map((x) => [x.uuid, x.value]));
    expect(byUuid.get(sent.Attribute[1].uuid)).toBe(sent.Attribute[1].value);
    const obj = (e.Object as J[]).find((o) => o.uuid === sent.Object[0].uuid);
    expect(obj?.Attribute[0].value).toBe(sent.Object[0].Attribute[0].value);
    const read = await decryptEvent(onB.json, reader);
    expect(read.stillProtected).toEqual([]);
    expect(JSON.stringify(read.event)).toContain(VICTIM_PROTECTED);
    expect(JSON.stringify(read.event)).toContain('victim-intranet.example');
  }

  it('pushes envelopes unchanged; the consumer on the other instance still opens them', async () => {
    const { uuid, sent } = await publish('Pushed protected intrusion');
    const r = (await a.call('POST', `/servers/push/${ids.bOnA}/full`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    await checkOnB(uuid, sent);
  });

  it('pushes protected typed attributes to a stock MISP as text with their type in a tag; the reader gets the type back', async () => {
    const misp = await startFakeRemote();
    try {
      const orgOnA = await addOrgUser(a, 'StockMispOrg', 5);
      const added = (await a.call('POST', '/servers/add', { Server: { name: 'stock MISP', url: misp.url, authkey: misp.authkey, push: true, remote_org_id: orgOnA.orgId } })).json as J;
      const { uuid, sent } = await publish('Protected intrusion for a stock MISP');
      const r = (await a.call('POST', `/servers/push/${String(added.Server.id)}/full`)).json as J;
      expect(r.success, JSON.stringify(r)).toBe(true);
      const stored = misp.events.get(uuid) as J;
      expect(stored, 'the stock MISP received the event').toBeDefined();
      const secret = (stored.Attribute as J[]).find((x) => x.uuid === sent.Attribute[1].uuid);
      expect(secret).toMatchObject({ type: 'text', value: sent.Attribute[1].value });
      expect((secret?.Tag as J[]).map((t) => t.name)).toContain('waggle:protected-type="ip-dst"');
      const objectAttribute = (stored.Object as J[]).find((o) => o.uuid === sent.Object[0].uuid)?.Attribute[0];
      expect(objectAttribute).toMatchObject({ type: 'text', object_relation: 'domain' });
      // Plain attributes keep their type (the anonymiser rewrote the victim address, as for any recipient).
      expect((stored.Attribute as J[]).find((x) => x.uuid === sent.Attribute[0].uuid)?.type).toBe('ip-dst');
      const read = await decryptEvent({ Event: stored }, reader);
      const restored = ((read.event.Event as J).Attribute as J[]).find((x) => x.uuid === sent.Attribute[1].uuid);
      expect(restored).toMatchObject({ type: 'ip-dst', value: VICTIM_PROTECTED });
      expect(JSON.stringify(restored?.Tag ?? [])).not.toContain('protected-type');
      expect(((read.event.Event as J).Object as J[]).find((o) => o.uuid === sent.Object[0].uuid)?.Attribute[0]).toMatchObject({ type: 'domain', value: 'victim-intranet.example' });
    } finally {
      await misp.close();
    }
  });

  it('serves pulls with the envelopes unchanged as well', async () => {
    const { uuid, sent } = await publish('Pulled protected intrusion');
    const r = (await b.call('POST', `/servers/pull/${ids.aOnB}/full`)).json as J;
    expect(r.success, JSON.stringify(r)).toBe(true);
    await checkOnB(uuid, sent);
  });
});
