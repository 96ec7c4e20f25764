import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { StorageType, jetstreamManager } from '@nats-io/jetstream';
import { UnavailableError } from '@waggle/errors';
import type { Bus, BusErrorHandler } from './bus.js';
import { createNatsBus, type NatsBusOptions } from './nats-bus.js';
import { runBusContract } from './test-support/bus-contract.js';
import { aCollector, aUniqueTopic, waitFor } from './test-support/collector.js';

// Needs the NATS server with JetStream that CI always provides; set WAGGLE_SKIP_NATS=1 to skip on purpose.
const skip = process.env['WAGGLE_SKIP_NATS'] === '1';
const url = process.env['WAGGLE_NATS_URL'] ?? 'nats://127.0.0.1:4222';
// A stream and subject prefix of this run only, so parallel runs never see each other.
const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
const stream = `WAGGLE_TEST_${suffix}`;
const subjectPrefix = `waggletest.${suffix}`;

const natsBus = (extra: Partial<NatsBusOptions> & { onError?: BusErrorHandler } = {}): Promise<Bus> =>
  createNatsBus({ url, stream, subjectPrefix, delivery: { redeliveryDelayMs: 50 }, ...extra });

describe.skipIf(skip)('createNatsBus (NATS JetStream at ' + url + ')', () => {
  afterAll(async () => {
    const nc = await connect({ servers: url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(stream).catch(() => false);
    } finally {
      await nc.close();
    }
  });

  runBusContract('nats', ({ onError }) => natsBus({ onError }));

  describe('beyond the contract', () => {
    const open: Bus[] = [];
    const aBus = async (extra: Partial<NatsBusOptions> = {}): Promise<Bus> => {
      const bus = await natsBus(extra);
      open.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });

    it('creates a file-backed stream over <prefix>.> keeping a week of messages', async () => {
      await aBus();
      const nc = await connect({ servers: url });
      const info = await (await jetstreamManager(nc)).streams.info(stream);
      await nc.close();
      expect(info.config.subjects).toEqual([`${subjectPrefix}.>`]);
      expect(info.config.storage).toBe(StorageType.File);
      expect(info.config.max_age).toBe(7 * 24 * 3600 * 1e9);
    });

    it('lets two bus instances (two processes) see each other’s messages', async () => {
      const a = await aBus();
      const b = await aBus();
      const topic = aUniqueTopic();
      const atA = aCollector();
      const atB = aCollector();
      await a.subscribe(topic, atA.handler);
      await b.subscribe(topic, atB.handler);
      await a.publish(topic, 'from a');
      await b.publish(topic, 'from b');
      await atA.waitForCount(2);
      await atB.waitForCount(2);
      expect(atA.payloads()).toEqual(['from a', 'from b']);
      expect(atB.payloads()).toEqual(['from a', 'from b']);
    });

    it('resumes a durable subscription after close/reopen with what was published while it was away', async () => {
      const topic = aUniqueTopic();
      const durable = `resume-${suffix}`;
      const first = await natsBus();
      const before = aCollector();
      await first.subscribe(topic, before.handler, { durable });
      await first.publish(topic, 'seen');
      await before.waitForCount(1);
      await first.close();

      const publisher = await aBus();
      await publisher.publish(topic, 'missed-1');
      await publisher.publish(topic, 'missed-2');

      const reopened = await aBus();
      const after = aCollector();
      await reopened.subscribe(topic, after.handler, { durable });
      await after.waitForCount(2);
      await publisher.publish(topic, 'live');
      await after.waitForCount(3);
      expect(after.payloads()).toEqual(['missed-1', 'missed-2', 'live']);
    });

    it('on close waits for the running handler and acks it, so a reopened durable does not see it again', async () => {
      const topic = aUniqueTopic();
      const durable = `close-${suffix}`;
      // A short ack wait, so a missing ack would show up as a redelivery within the test.
      const first = await natsBus({ delivery: { ackWaitMs: 300 } });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = false;
      const slow = aCollector(async () => {
        started = true;
        await gate;
      });
      await first.subscribe(topic, slow.handler, { durable });
      await first.publish(topic, 'in flight');
      await waitFor(() => started, 'the handler to start');
      const closing = first.close();
      release();
      await closing;
      expect(slow.payloads()).toEqual(['in flight']);

      const reopened = await aBus();
      const after = aCollector();
      await reopened.subscribe(topic, after.handler, { durable });
      await reopened.publish(topic, 'next');
      await after.waitForCount(1);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(after.payloads()).toEqual(['next']);
    });

    it('redelivers to a durable subscription whose handler failed, with the same message id', async () => {
      const errors: unknown[] = [];
      const bus = await aBus({ onError: (error) => errors.push(error) });
      const topic = aUniqueTopic();
      let attempts = 0;
      const received = aCollector(() => {
        attempts += 1;
        if (attempts === 1) throw new Error('first attempt fails');
      });
      const seen: string[] = [];
      await bus.subscribe(topic, (msg) => {
        seen.push(msg.id);
        return received.handler(msg);
      }, { durable: `retry-${suffix}` });
      await bus.publish(topic, { n: 1 });
      await received.waitForCount(1);
      expect(received.payloads()).toEqual([{ n: 1 }]);
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBe(seen[1]);
      expect(errors.map((e) => (e as Error).message)).toEqual(['first attempt fails']);
    });

    it('gives up on a message after maxDeliver failures, reports it, and moves on', async () => {
      const errors: unknown[] = [];
      const bus = await aBus({ onError: (error) => errors.push(error), delivery: { redeliveryDelayMs: 20, maxDeliver: 2 } });
      const topic = aUniqueTopic();
      const received = aCollector((msg) => {
        if (msg.payload === 'poison') throw new Error('cannot handle poison');
      });
      await bus.subscribe(topic, received.handler, { durable: `poison-${suffix}` });
      await bus.publish(topic, 'poison');
      await bus.publish(topic, 'fine');
      await received.waitForCount(1);
      await waitFor(() => errors.length >= 3, 'two failures and the give-up report');
      expect(received.payloads()).toEqual(['fine']);
      expect(errors.map((e) => (e as Error).message)).toEqual([
        'cannot handle poison',
        'cannot handle poison',
        expect.stringMatching(/^Giving up on message .* after 2 failed deliveries\.$/) as unknown,
      ]);
    });

    it('stores a message once when its id is published twice (Nats-Msg-Id dedup)', async () => {
      const bus = await aBus({ newId: () => `fixed-${suffix}` });
      const topic = aUniqueTopic();
      await bus.publish(topic, 'once');
      await bus.publish(topic, 'twice');
      const replay = aCollector();
      await bus.subscribe(topic, replay.handler, { fromStart: true });
      await replay.waitForCount(1);
      await bus.publish(aUniqueTopic(), 'unrelated'); // dropped as a duplicate as well
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(replay.messages.map((m) => [m.id, m.payload])).toEqual([[`fixed-${suffix}`, 'once']]);
    });

    it('fails fast with UnavailableError when NATS cannot be reached', async () => {
      const started = Date.now();
      const attempt = createNatsBus({ url: 'nats://127.0.0.1:1', stream, subjectPrefix, timeoutMs: 1000 });
      await expect(attempt).rejects.toBeInstanceOf(UnavailableError);
      await expect(attempt).rejects.toMatchObject({ code: 'unavailable', retryable: true });
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('never prints the credentials of the URL', async () => {
      const error = await createNatsBus({ url: 'nats://alice:s3cret@127.0.0.1:1', timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).not.toContain('s3cret');
    });
  });
});
