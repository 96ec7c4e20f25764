import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsPublisher } from '@waggle/bus';
import { connect } from '@nats-io/transport-node';
import { addOrgUser, startTestServer, type TestServer } from '../test-support/test-server.js';
import { umaProducers } from '../uma/uma-producers.js';
import { startAudienceBridge } from './audience-bridge.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NATS_URL = process.env.WAGGLE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** Everything published under `prefix` (a real NATS subscription), and the publisher the bridge uses. */
async function capture(prefix: string): Promise<{ got: { subject: string; data: J }[]; publisher: Awaited<ReturnType<typeof connectNatsPublisher>>; close(): Promise<void> }> {
  const nc = await connect({ servers: NATS_URL });
  const got: { subject: string; data: J }[] = [];
  const sub = nc.subscribe(`${prefix}.>`, { callback: (_e, m) => {
    got.push({ subject: m.subject, data: JSON.parse(new TextDecoder().decode(m.data)) as J });
  } });
  const publisher = await connectNatsPublisher(NATS_URL);
  return {
    got,
    publisher,
    async close() {
      sub.unsubscribe();
      await publisher.close();
      await nc.close();
    },
  };
}

describe('event stream fanned out to NATS subjects by audience (real NATS)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await s.close();
  });

  it('publishes community, own-organisation and sharing-group copies, each redacted', async () => {
    const prefix = `waggle.test${String(Date.now())}`;
    const { got, publisher, close } = await capture(prefix);
    const bridge = await startAudienceBridge({ bus: s.bus, store: s.store, publisher, prefix });
    try {
      const org = (((await s.call('GET', '/users/view/me')).json as J).Organisation as J).uuid as string;
      await s.call('POST', '/events/add', { info: 'nats secret', distribution: '0', Attribute: [{ type: 'domain', value: 'secret.nats.example' }] });
      await s.call('POST', '/events/add', { info: 'nats shared', distribution: '3', Attribute: [{ type: 'domain', value: 'open.nats.example' }, { type: 'domain', value: 'mine.nats.example', distribution: '0' }] });
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && got.filter((g) => g.subject.endsWith('misp_json_event')).length < 3) await new Promise((r) => setTimeout(r, 50));
      const events = got.filter((g) => g.subject.endsWith('.misp_json_event'));
      const community = events.filter((g) => g.subject === `${prefix}.community.misp_json_event`);
      expect(community.map((g) => g.data.Event.info)).toEqual(['nats shared']);
      expect(community[0]?.data.Event.Attribute.map((a: J) => a.value)).toEqual(['open.nats.example']);
      const own = events.filter((g) => g.subject === `${prefix}.org.${org}.misp_json_event`);
      expect(own.map((g) => g.data.Event.info)).toEqual(['nats secret', 'nats shared']);
      expect(own[1]?.data.Event.Attribute).toHaveLength(2);
    } finally {
      await bridge.unsubscribe();
      await close();
    }
  });
  it('sends a UMA producer\'s events to its own organisation\'s subject only (ADR 0013)', async () => {
    const prefix = `waggle.uma${String(Date.now())}`;
    const { got, publisher, close } = await capture(prefix);
    const producer = await addOrgUser(s, 'UmaProducerOnNats');
    const bridge = await startAudienceBridge({ bus: s.bus, store: s.store, publisher, prefix, umaProducers: umaProducers(['umaproduceronnats']) });
    try {
      const org = (((await s.call('GET', '/users/view/me', undefined, producer.key)).json as J).Organisation as J).uuid as string;
      await s.call('POST', '/events/add', { info: 'uma producer event', distribution: '3', Attribute: [{ type: 'domain', value: 'uma.nats.example' }] }, producer.key);
      await s.call('POST', '/events/add', { info: 'open event', distribution: '3', Attribute: [{ type: 'domain', value: 'free.nats.example' }] });
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && got.filter((g) => g.subject.endsWith('misp_json_event')).length < 3) await new Promise((r) => setTimeout(r, 50));
      const events = got.filter((g) => g.subject.endsWith('.misp_json_event'));
      expect(events.filter((g) => g.subject === `${prefix}.community.misp_json_event`).map((g) => g.data.Event.info)).toEqual(['open event']);
      expect(events.filter((g) => g.subject === `${prefix}.org.${org}.misp_json_event`).map((g) => g.data.Event.info)).toEqual(['uma producer event']);
      // Nor do its attributes reach the community subject on their own.
      expect(got.filter((g) => g.subject.startsWith(`${prefix}.community.`)).some((g) => JSON.stringify(g.data).includes('uma.nats.example'))).toBe(false);
    } finally {
      await bridge.unsubscribe();
      await close();
    }
  });
});
