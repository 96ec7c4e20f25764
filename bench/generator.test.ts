import { describe, expect, it } from 'vitest';
import { isCategoryAllowed, validateAttributeValue } from '@waggle/misp';
import { createWorkload, eventSizes, powerLawEventSizes, toMispEvent } from './core/generator.js';
import { createPrng } from './core/prng.js';
import { chooseTagTypeQuery, summarize } from './core/summary.js';
import { TYPE_MIX } from './core/type-mix.js';

describe('benchmark workload generator', () => {
  it('builds the same events from the same seed', () => {
    const a = createWorkload({ attributes: 5_000, seed: 7 });
    const b = createWorkload({ attributes: 5_000, seed: 7 });
    expect(b.eventSizes).toEqual(a.eventSizes);
    expect([...b.events()]).toEqual([...a.events()]);
    // Events can be rebuilt out of order: each has its own random stream.
    expect(a.event(1)).toEqual([...b.events()][1]);
  });

  it('builds different events from another seed', () => {
    const a = createWorkload({ attributes: 5_000, seed: 7 });
    const b = createWorkload({ attributes: 5_000, seed: 8 });
    expect(b.event(0)).not.toEqual(a.event(0));
  });

  it('sizes events log-uniformly between 10 and 10,000 and hits the total exactly', () => {
    const sizes = eventSizes(1_000_000, 10, 10_000, createPrng(1));
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(1_000_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000);
    // Log-uniform: about a third of the events in each decade.
    const small = sizes.filter((n) => n < 100).length / sizes.length;
    expect(small).toBeGreaterThan(0.25);
    expect(small).toBeLessThan(0.42);
  });

  it('spreads 1M attributes over 10,000 events of 10-10,000 by default, most of them small (the issue workload)', () => {
    const w = createWorkload({ attributes: 1_000_000, seed: 1 });
    const sizes = w.eventSizes;
    expect(sizes).toHaveLength(10_000);
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(1_000_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000);
    const sorted = [...sizes].sort((a, b) => a - b);
    // A power law: the median event is small, yet large events hold a good share of the attributes.
    expect(sorted[5_000]).toBeLessThan(50);
    expect(sorted.filter((n) => n >= 1_000).reduce((s, n) => s + n, 0)).toBeGreaterThan(200_000);
    expect(createWorkload({ attributes: 1_000_000, seed: 1, events: 'log-uniform' }).eventSizes).toHaveLength(645);
  });

  it('refuses event counts the attributes cannot fill', () => {
    expect(() => powerLawEventSizes(100, 20, 10, 10_000, createPrng(1))).toThrow(/do not fit/);
    expect(() => powerLawEventSizes(100, 0, 10, 10_000, createPrng(1))).toThrow(/positive integer/);
    expect(powerLawEventSizes(100, 10, 10, 10_000, createPrng(1))).toEqual(Array.from({ length: 10 }, () => 10));
  });

  it('generates only values valid for their type, already in normalised form', () => {
    const w = createWorkload({ attributes: 30_000, seed: 42 });
    const seenTypes = new Set<string>();
    for (const e of w.events()) {
      for (const a of e.attributes) {
        seenTypes.add(a.type);
        const verdict = validateAttributeValue(a.type, a.value);
        if (!verdict.ok) throw new Error(`${a.type} "${a.value}": ${verdict.reason}`);
        expect(verdict.value, `${a.type} value is stored as sent`).toBe(a.value);
        expect(isCategoryAllowed(a.category, a.type), `${a.category}/${a.type}`).toBe(true);
      }
    }
    expect([...seenTypes].sort()).toEqual(TYPE_MIX.map((t) => t.type).sort());
  });

  it('repeats about 10% of values across events and never within one event', () => {
    const w = createWorkload({ attributes: 30_000, seed: 3 });
    const s = summarize(w, 100);
    expect(s.attributes).toBe(30_000);
    expect(s.sharedAttributes / s.attributes).toBeGreaterThan(0.08);
    expect(s.sharedAttributes / s.attributes).toBeLessThan(0.12);
    for (const e of w.events()) {
      const keys = e.attributes.map((a) => `${a.type}|${a.value}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('samples lookup values that exist in the workload', () => {
    const w = createWorkload({ attributes: 10_000, seed: 5 });
    const s = summarize(w, 50);
    expect(s.lookupValues).toHaveLength(50);
    const all = new Set<string>();
    for (const e of w.events()) for (const a of e.attributes) all.add(a.value.split('|')[0] ?? '');
    for (const v of s.lookupValues) expect(all.has(v)).toBe(true);
  });

  it('picks a tag and type combination matching at least the target when the data set allows', () => {
    const s = summarize(createWorkload({ attributes: 100_000, seed: 1 }), 10);
    const q = chooseTagTypeQuery(s, 10_000);
    expect(q.matching).toBeGreaterThanOrEqual(10_000);
    expect(q.tags).toHaveLength(1);
    const small = chooseTagTypeQuery(summarize(createWorkload({ attributes: 2_000, seed: 1 }), 10), 10_000);
    expect(small.matching).toBeLessThan(10_000);
    expect(small.matching).toBeGreaterThan(0);
  });

  it('renders events as MISP JSON, with correlation disabled on request', () => {
    const e = createWorkload({ attributes: 50, seed: 9 }).event(0);
    const on = toMispEvent(e, { disableCorrelation: false }) as { Event: Record<string, unknown> };
    const off = toMispEvent(e, { disableCorrelation: true }) as { Event: Record<string, unknown> };
    expect(on.Event.disable_correlation).toBeUndefined();
    expect(off.Event.disable_correlation).toBe(true);
    expect((on.Event.Attribute as unknown[]).length).toBe(e.attributes.length);
    expect(on.Event.Tag).toEqual(e.tags.map((name) => ({ name })));
  });
});
