import { afterEach, describe, expect, it } from 'vitest';
import { InputError, UnavailableError } from '@waggle/errors';
import type { Bus, BusErrorHandler, BusMessage } from '../bus.js';
import { JsonText } from '../codec.js';
import { MISP_TOPICS } from '../topics.js';
import { aCollector, aUniqueTopic, waitFor } from './collector.js';

/** Builds a fresh bus; every bus a factory returns within one suite shares the same backend. */
export type BusFactory = (options: { onError: BusErrorHandler }) => Bus | Promise<Bus>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every `Bus` adapter promises. Subscriptions here start "from now" unless a
 * test says otherwise, and `fromStart` uses a topic of its own, so adapters backed by a
 * persistent shared stream can run it too.
 */
export function runBusContract(name: string, factory: BusFactory): void {
  describe(`Bus contract: ${name}`, () => {
    const open: Bus[] = [];
    const errors: { error: unknown; message: BusMessage | undefined }[] = [];

    const aBus = async (): Promise<Bus> => {
      const bus = await factory({ onError: (error, message) => errors.push({ error, message }) });
      open.push(bus);
      return bus;
    };

    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
      errors.splice(0);
    });

    it('delivers to each subscriber in publish order, even with slow async handlers', async () => {
      const bus = await aBus();
      const fast = aCollector();
      const slow = aCollector(() => sleep(Math.random() * 5));
      await bus.subscribe('misp_json_attribute', fast.handler);
      await bus.subscribe('misp_json_attribute', slow.handler);
      const sent = Array.from({ length: 30 }, (_, i) => ({ n: i }));
      for (const payload of sent) await bus.publish('misp_json_attribute', payload);
      await fast.waitForCount(30);
      await slow.waitForCount(30);
      expect(fast.payloads()).toEqual(sent);
      expect(slow.payloads()).toEqual(sent);
    });

    it("gives '*' every topic and a named subscription only its topic", async () => {
      const bus = await aBus();
      const all = aCollector();
      const sightings = aCollector();
      await bus.subscribe('*', all.handler);
      await bus.subscribe('misp_json_sighting', sightings.handler);
      const topics = [...MISP_TOPICS, 'waggle_custom'] as const;
      for (const topic of topics) await bus.publish(topic, { topic });
      await all.waitForCount(topics.length);
      expect(all.messages.map((m) => m.topic)).toEqual(topics);
      await waitFor(() => sightings.messages.length === 1, 'the sighting');
      expect(sightings.messages.map((m) => m.topic)).toEqual(['misp_json_sighting']);
    });

    it('delivers a payload given as JSON text (JsonText) as the value it holds', async () => {
      const bus = await aBus();
      const received = aCollector();
      await bus.subscribe('misp_json_event', received.handler);
      const value = { Event: { id: '7', info: 'caf\u00e9 \u2603', Attribute: [{ value: '198.51.100.7' }] }, action: 'add' };
      await bus.publish('misp_json_event', new JsonText(JSON.stringify(value)));
      await received.waitForCount(1);
      expect(received.payloads()).toEqual([value]);
    });

    it('stops delivery after unsubscribe', async () => {
      const bus = await aBus();
      const leaving = aCollector();
      const staying = aCollector();
      const subscription = await bus.subscribe('misp_json_event', leaving.handler);
      await bus.subscribe('misp_json_event', staying.handler);
      await bus.publish('misp_json_event', 'before');
      await leaving.waitForCount(1);
      await subscription.unsubscribe();
      await bus.publish('misp_json_event', 'after');
      // Once the remaining subscriber has "after", the one that left would have had it too.
      await staying.waitForCount(2);
      await sleep(50);
      expect(leaving.payloads()).toEqual(['before']);
      expect(staying.payloads()).toEqual(['before', 'after']);
    });

    it('lets a handler unsubscribe itself', async () => {
      const bus = await aBus();
      const control = aCollector();
      const once = aCollector(async () => {
        await subscription.unsubscribe();
      });
      // Only used by the handler, which first runs after the publish below.
      const subscription = await bus.subscribe('misp_json_user', once.handler);
      await bus.subscribe('misp_json_user', control.handler);
      await bus.publish('misp_json_user', 1);
      await bus.publish('misp_json_user', 2);
      await control.waitForCount(2);
      await sleep(50);
      expect(once.payloads()).toEqual([1]);
    });

    it('isolates a failing handler from the publisher and the other subscribers', async () => {
      const bus = await aBus();
      const throwing = aCollector(() => {
        throw new Error('sync boom');
      });
      const rejecting = aCollector(async () => {
        await sleep(1);
        throw new Error('async boom');
      });
      const healthy = aCollector();
      await bus.subscribe('misp_json_tag', throwing.handler);
      await bus.subscribe('misp_json_tag', rejecting.handler);
      await bus.subscribe('misp_json_tag', healthy.handler);
      for (const n of [1, 2, 3]) await bus.publish('misp_json_tag', n);
      await healthy.waitForCount(3);
      expect(healthy.payloads()).toEqual([1, 2, 3]);
      await waitFor(() => errors.length >= 6, 'six reported failures');
      const messages = errors.map((e) => (e.error as Error).message).sort();
      expect(messages).toEqual(['async boom', 'async boom', 'async boom', 'sync boom', 'sync boom', 'sync boom']);
      expect(errors.map((e) => e.message?.payload).sort()).toEqual([1, 1, 2, 2, 3, 3]);
    });

    it('round-trips nested JSON with unicode and gives each message a unique id and a timestamp', async () => {
      const bus = await aBus();
      const received = aCollector();
      await bus.subscribe('misp_json', received.handler);
      const payload = {
        Event: {
          info: 'Kampagne gegen Bäckereien — 攻撃 🐝 \u0000 "quoted" \\ \u2028',
          Attribute: [{ type: 'ip-dst', value: '198.51.100.7', to_ids: true, comment: null }],
          nested: { deep: { deeper: [1, -2.5, 1e-9, [], {}] } },
        },
      };
      const before = Date.now();
      await bus.publish('misp_json', payload);
      await bus.publish('misp_json', 'ünïcödé');
      await received.waitForCount(2);
      expect(received.payloads()).toEqual([payload, 'ünïcödé']);
      const [first, second] = received.messages;
      expect(first?.topic).toBe('misp_json');
      expect(first?.id).not.toBe(second?.id);
      expect(first?.id).toMatch(/\S/);
      expect(first?.publishedAt).toBeGreaterThanOrEqual(before - 1000);
      expect(first?.publishedAt).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('gives each subscriber its own copy of the payload', async () => {
      const bus = await aBus();
      const mutating = aCollector((msg) => {
        (msg.payload as { value: string }).value = 'changed';
      });
      const reading = aCollector();
      await bus.subscribe('misp_json_object', mutating.handler);
      await bus.subscribe('misp_json_object', reading.handler);
      const payload = { value: 'original' };
      await bus.publish('misp_json_object', payload);
      await mutating.waitForCount(1);
      await reading.waitForCount(1);
      expect(reading.payloads()).toEqual([{ value: 'original' }]);
      expect(payload.value).toBe('original');
    });

    it('replays retained messages to a fromStart subscriber, then continues live', async () => {
      const bus = await aBus();
      const topic = aUniqueTopic();
      await bus.publish(topic, 'old-1');
      await bus.publish(topic, 'old-2');
      const late = aCollector();
      await bus.subscribe(topic, late.handler, { fromStart: true });
      await bus.publish(topic, 'new');
      await late.waitForCount(3);
      expect(late.payloads()).toEqual(['old-1', 'old-2', 'new']);
    });

    it('resumes after a position: the retained messages published after it, then live ones', async () => {
      const bus = await aBus();
      const topic = aUniqueTopic();
      const first = aCollector();
      await bus.subscribe(topic, first.handler);
      await bus.publish(topic, 'seen');
      await first.waitForCount(1);
      const position = first.messages[0]?.position ?? -1;
      expect(position).toBeGreaterThanOrEqual(0);
      await bus.publish(topic, 'missed-1');
      await bus.publish(topic, 'missed-2');
      const resumed = aCollector();
      await bus.subscribe(topic, resumed.handler, { after: position });
      await bus.publish(topic, 'live');
      await resumed.waitForCount(3);
      expect(resumed.payloads()).toEqual(['missed-1', 'missed-2', 'live']);
      expect(resumed.messages.map((m) => m.position)).toEqual([...resumed.messages.map((m) => m.position)].sort((a, b) => (a ?? 0) - (b ?? 0)));
      // A position ahead of the log means "from now".
      const ahead = aCollector();
      await bus.subscribe(topic, ahead.handler, { after: Number.MAX_SAFE_INTEGER });
      await bus.publish(topic, 'after-ahead');
      await ahead.waitForCount(1);
      expect(ahead.payloads()).toEqual(['after-ahead']);
      await expect(bus.subscribe(topic, ahead.handler, { after: -1 })).rejects.toBeInstanceOf(InputError);
      await expect(bus.subscribe(topic, ahead.handler, { after: 1, fromStart: true })).rejects.toBeInstanceOf(InputError);
    });

    it('rejects unknown topics, bad durable names and non-JSON payloads with InputError', async () => {
      const bus = await aBus();
      const handler = aCollector().handler;
      await expect(bus.publish('nope' as never, 1)).rejects.toBeInstanceOf(InputError);
      await expect(bus.publish('waggle_with.dot', 1)).rejects.toBeInstanceOf(InputError);
      await expect(bus.publish('misp_json', undefined)).rejects.toBeInstanceOf(InputError);
      await expect(bus.publish('misp_json', { n: 1n })).rejects.toBeInstanceOf(InputError);
      await expect(bus.subscribe('misp_json_' as never, handler)).rejects.toBeInstanceOf(InputError);
      await expect(bus.subscribe('misp_json', handler, { durable: 'has.dot' })).rejects.toBeInstanceOf(InputError);
    });

    it('refuses to publish or subscribe once closed', async () => {
      const bus = await aBus();
      await bus.close();
      await bus.close();
      await expect(bus.publish('misp_json', 1)).rejects.toBeInstanceOf(UnavailableError);
      await expect(bus.subscribe('misp_json', aCollector().handler)).rejects.toBeInstanceOf(UnavailableError);
    });
  });
}
