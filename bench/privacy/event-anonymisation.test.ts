import { describe, expect, it, vi } from 'vitest';
import { runAnonymizerBench, syntheticEvent } from './event-anonymisation.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const count = (e: { Event: J }): number => e.Event.Attribute.length + e.Event.Object.reduce((n: number, o: J) => n + o.Attribute.length, 0);

describe('anonymizer benchmark', () => {
  it('generates the same event of the asked size for the same seed', () => {
    expect(count(syntheticEvent(1, 1000))).toBe(1000);
    expect(count(syntheticEvent(1, 10))).toBe(10);
    expect(syntheticEvent(3, 100)).toEqual(syntheticEvent(3, 100));
    expect(syntheticEvent(3, 100)).not.toEqual(syntheticEvent(4, 100));
  });

  it('runs, and refuses bad options', async () => {
    const out: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => out.push(String(c)) > 0);
    try {
      expect(await runAnonymizerBench(['--sizes', '10,50', '--runs', '2'])).toBe(0);
      expect(out.join('')).toMatch(/^50\s+2\s+/m);
      expect(await runAnonymizerBench(['--runs', 'x'])).toBe(2);
      expect(await runAnonymizerBench(['--bogus', '1'])).toBe(2);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  });
});
