import { describe, expect, it } from 'vitest';
import { jsonArray, yieldingToOthers } from './stream.js';

describe('yieldingToOthers', () => {
  it('lets timers and other requests run between the chunks of a synchronous source', async () => {
    const order: string[] = [];
    async function* source(): AsyncIterable<string> {
      for (let i = 0; i < 5; i++) {
        order.push(`chunk ${i}`);
        yield String(i);
      }
    }
    const tick = (): void => {
      order.push('tick');
      if (order.length < 40) setImmediate(tick);
    };
    setImmediate(tick);
    const out: string[] = [];
    for await (const c of yieldingToOthers(source())) out.push(c);
    expect(out).toEqual(['0', '1', '2', '3', '4']);
    // Without the yield every chunk is produced before the first tick.
    const firstTick = order.indexOf('tick');
    expect(firstTick).toBeGreaterThan(-1);
    expect(firstTick).toBeLessThan(order.indexOf('chunk 4'));
  });

  it('keeps the JSON array framing intact', async () => {
    async function* batches(): AsyncIterable<readonly unknown[]> {
      yield [{ a: 1 }];
      yield [];
      yield [{ b: 2 }, { c: 3 }];
    }
    let text = '';
    for await (const c of yieldingToOthers(jsonArray('[', batches(), ']'))) text += c;
    expect(JSON.parse(text)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
});
