import { describe, expect, it } from 'vitest';
import { agrestiCoull, oddsRatio } from './stats.js';

describe('agrestiCoull (z = 1.96)', () => {
  // Hand computation for 2/10: ñ = 13.8416, p̃ = 3.9208/13.8416 = 0.283262,
  // half-width = 1.96·√(0.283262·0.716738/13.8416) = 0.237377.
  it('matches hand-computed values', () => {
    const r = agrestiCoull(2, 10);
    expect(r.p).toBe(0.2);
    expect(r.low).toBeCloseTo(0.045886, 5);
    expect(r.high).toBeCloseTo(0.520638, 5);
    const s = agrestiCoull(17, 74);
    expect(s.low).toBeCloseTo(0.147779, 5);
    expect(s.high).toBeCloseTo(0.338357, 5);
  });
  it('clips to [0, 1] at the edges', () => {
    const zero = agrestiCoull(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.320895, 5);
    const all = agrestiCoull(10, 10);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.679105, 5);
  });
  it('gives p = 0 and the whole range for n = 0', () => {
    expect(agrestiCoull(0, 0)).toEqual({ x: 0, n: 0, p: 0, low: 0, high: 1 });
  });
  it('rejects impossible counts', () => {
    expect(() => agrestiCoull(3, 2)).toThrow(RangeError);
    expect(() => agrestiCoull(-1, 2)).toThrow(RangeError);
    expect(() => agrestiCoull(1.5, 2)).toThrow(RangeError);
  });
});

describe('oddsRatio', () => {
  it('is (x/(n−x)) / (x0/(n0−x0))', () => {
    expect(oddsRatio(44, 74, 17, 74)).toBeCloseTo((44 / 30) / (17 / 57), 10);
    expect(oddsRatio(5, 10, 5, 10)).toBe(1);
  });
  it('is undefined when an odds is 0 or infinite', () => {
    expect(oddsRatio(0, 10, 5, 10)).toBeUndefined();
    expect(oddsRatio(5, 10, 0, 10)).toBeUndefined();
    expect(oddsRatio(10, 10, 5, 10)).toBeUndefined();
    expect(oddsRatio(5, 10, 10, 10)).toBeUndefined();
  });
});
