import { describe, expect, it } from 'vitest';
import { createMemoryBus } from './memory-bus.js';
import { runBusContract } from './test-support/bus-contract.js';
import { aCollector } from './test-support/collector.js';

runBusContract('memory', ({ onError }) => createMemoryBus({ onError }));

describe('createMemoryBus', () => {
  it('uses the injected id source and clock', async () => {
    let next = 0;
    const bus = createMemoryBus({ newId: () => `id-${String(++next)}`, now: () => 1_700_000_000_000 });
    const received = aCollector();
    await bus.subscribe('*', received.handler);
    await bus.publish('misp_json_user', { id: 1 });
    await received.waitForCount(1);
    expect(received.messages).toEqual([{ topic: 'misp_json_user', payload: { id: 1 }, id: 'id-1', publishedAt: 1_700_000_000_000, position: 1 }]);
    await bus.close();
  });

  it('never runs a handler inside the publish call', async () => {
    const bus = createMemoryBus();
    const received = aCollector();
    await bus.subscribe('misp_json', received.handler);
    const publishing = bus.publish('misp_json', 1);
    expect(received.messages).toHaveLength(0);
    await publishing;
    await received.waitForCount(1);
    await bus.close();
  });

  it('resumes a durable subscription where it stopped, with messages published meanwhile', async () => {
    const bus = createMemoryBus();
    const first = aCollector();
    const subscription = await bus.subscribe('misp_json_sighting', first.handler, { durable: 'sightings' });
    await bus.publish('misp_json_sighting', 'a');
    await first.waitForCount(1);
    await subscription.unsubscribe();
    await bus.publish('misp_json_sighting', 'b');
    await bus.publish('misp_json_sighting', 'c');
    const second = aCollector();
    await bus.subscribe('misp_json_sighting', second.handler, { durable: 'sightings' });
    await second.waitForCount(2);
    expect(second.payloads()).toEqual(['b', 'c']);
    await bus.close();
  });

  it('keeps only historyLimit messages for replay', async () => {
    const bus = createMemoryBus({ historyLimit: 2 });
    for (const n of [1, 2, 3]) await bus.publish('misp_json_audit', n);
    const late = aCollector();
    await bus.subscribe('misp_json_audit', late.handler, { fromStart: true });
    await late.waitForCount(2);
    expect(late.payloads()).toEqual([2, 3]);
    await bus.close();
  });

  it('bounds the history by bytes as well, keeping the newest message whatever its size', async () => {
    const bus = createMemoryBus({ historyMaxBytes: 2_500 });
    const big = (n: number): string => String(n).repeat(1_000);
    for (const n of [1, 2, 3]) await bus.publish('misp_json_event', big(n));
    const late = aCollector();
    await bus.subscribe('misp_json_event', late.handler, { fromStart: true });
    await late.waitForCount(2);
    expect(late.payloads()).toEqual([big(2), big(3)]);
    await bus.publish('misp_json_event', big(4).repeat(5));
    const later = aCollector();
    await bus.subscribe('misp_json_event', later.handler, { fromStart: true });
    await later.waitForCount(1);
    expect(later.payloads()).toEqual([big(4).repeat(5)]);
    await bus.close();
  });

  it('waits on close for the handler that is running, and delivers nothing after', async () => {
    const bus = createMemoryBus();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = aCollector(() => gate);
    await bus.subscribe('misp_json', slow.handler);
    await bus.publish('misp_json', 1);
    await bus.publish('misp_json', 2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    let closed = false;
    const closing = bus.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(slow.payloads()).toEqual([1]);
  });

  it('survives an onError callback that throws', async () => {
    const bus = createMemoryBus({
      onError: () => {
        throw new Error('reporter broke');
      },
    });
    const failing = aCollector(() => {
      throw new Error('handler broke');
    });
    await bus.subscribe('misp_json', failing.handler);
    const healthy = aCollector();
    await bus.subscribe('misp_json', healthy.handler);
    await bus.publish('misp_json', 1);
    await bus.publish('misp_json', 2);
    await healthy.waitForCount(2);
    await bus.close();
  });
});
