import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgUser, startTestServer, testEngines, type TestServer } from '../test-support/test-server.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PCAP = Buffer.from('capture bytes \u0000\u0001\u0002').toString('base64');
const MODEL = Buffer.from('model weights').toString('base64');

describe.each(testEngines())('attachment data through a sync push (%s)', (engine) => {
  let a: TestServer;
  let b: TestServer;
  let serverId: string;

  beforeAll(async () => {
    a = await startTestServer(engine);
    b = await startTestServer(engine);
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    const bUrl = `http://127.0.0.1:${String((b.app.server.address() as { port: number }).port)}`;
    const partner = await addOrgUser(a, `Partner${engine}`, 5);
    const syncOnB = await addOrgUser(b, `Origin${engine}`, 5);
    const added = await a.call('POST', '/servers/add', { Server: { name: 'B', url: bUrl, authkey: syncOnB.key, push: true, remote_org_id: partner.orgId } });
    expect(added.status, added.text).toBe(200);
    serverId = String((added.json as J).Server.id);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('carries the data of attachments and object samples to the other instance', async () => {
    const add = await a.call('POST', '/events/add', {
      info: 'Finding shared by sync', distribution: 3,
      Attribute: [{ type: 'attachment', value: 'capture.pcap', data: PCAP }],
      Object: [{ name: 'file', Attribute: [{ object_relation: 'malware-sample', type: 'malware-sample', value: 'model.bin|d41d8cd98f00b204e9800998ecf8427e', data: MODEL }] }],
    });
    expect(add.status, add.text).toBe(200);
    const uuid = (add.json as J).Event.uuid as string;
    expect((await a.call('POST', `/events/publish/${uuid}`)).status).toBe(200);
    const push = (await a.call('POST', `/servers/push/${serverId}/full`)).json as J;
    expect(push.success, JSON.stringify(push)).toBe(true);
    const onB = await b.call('GET', `/events/view/${uuid}`);
    expect(onB.status).toBe(200);
    const ev = (onB.json as J).Event;
    expect(ev.Attribute[0]).toMatchObject({ type: 'attachment', value: 'capture.pcap', data: PCAP });
    expect(ev.Object[0].Attribute[0]).toMatchObject({ type: 'malware-sample', data: MODEL });
  });
});
