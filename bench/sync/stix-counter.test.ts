import { expect, it } from 'vitest';
import { createStixObjectCounter } from './stix-counter.js';

it('counts top-level bundle objects across chunk boundaries, ignoring braces in strings and nested objects', () => {
  const text = JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'a', x: '{[}"' }, { type: 'b', nested: { deep: [{ k: 1 }] } }, { type: 'c', s: 'q\\"}' }] });
  const c = createStixObjectCounter();
  for (let i = 0; i < text.length; i += 3) c.feed(text.slice(i, i + 3));
  expect(c.count).toBe(3);
});
