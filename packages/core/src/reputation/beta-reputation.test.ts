import { describe, expect, it } from 'vitest';
import { ageWeight, betaScore, reputations, type Feedback } from './beta-reputation.js';

const DAY = 86_400;
const NOW = 1_700_000_000;
const f = (over: Partial<Feedback>): Feedback => ({ source: 1, reporter: 2, target: 'a1', kind: 'seen', favourable: 1, at: NOW, ...over });

describe('beta reputation', () => {
  it('is 0.5 with full uncertainty without evidence, and moves with it', () => {
    expect(betaScore(0, 0)).toEqual({ score: 0.5, uncertainty: 1 });
    expect(betaScore(8, 0).score).toBeCloseTo(0.9, 10);
    expect(betaScore(0, 8).score).toBeCloseTo(0.1, 10);
    expect(betaScore(4, 4)).toEqual({ score: 0.5, uncertainty: 0.2 });
  });

  it('halves the weight of feedback every half-life', () => {
    expect(ageWeight(0, 180 * DAY)).toBe(1);
    expect(ageWeight(180 * DAY, 180 * DAY)).toBeCloseTo(0.5, 12);
    expect(ageWeight(360 * DAY, 180 * DAY)).toBeCloseTo(0.25, 12);
    expect(ageWeight(-5, 180 * DAY)).toBe(1);
    expect(ageWeight(1000 * DAY, 0)).toBe(1);
  });

  it('counts the latest feedback of a reporter on an element once, and ignores a source judging itself', () => {
    const [r] = reputations([
      f({ at: NOW - 10 }), f({ at: NOW - 5 }), f({ at: NOW }), // the same sighting repeated
      f({ kind: 'false-positive', favourable: 0, at: NOW - 20 }), // older than the sightings: replaced
      f({ reporter: 1, target: 'a2' }), // the source itself
      f({ reporter: 3, target: 'a1', kind: 'false-positive', favourable: 0 }),
      f({ reporter: 3, target: 'a1', kind: 'opinion', favourable: 0.75 }),
    ], { now: NOW, halfLifeSeconds: 0 });
    expect(r).toMatchObject({ source: 1, seen: 1, falsePositives: 1, opinions: 1, reporters: 2, lastFeedback: NOW });
    expect(r?.positive).toBeCloseTo(1.75, 12);
    expect(r?.negative).toBeCloseTo(1.25, 12);
    expect(r?.score).toBeCloseTo(2.75 / 5, 12);
  });

  it('weighs old feedback less, lists sources without feedback, and sorts by score', () => {
    const list = reputations([
      f({ source: 1, at: NOW - 180 * DAY }),
      f({ source: 4, target: 'b', kind: 'false-positive', favourable: 0 }),
      f({ source: 5, target: 'c' }),
    ], { now: NOW, halfLifeSeconds: 180 * DAY }, [1, 6]);
    expect(list.map((r) => r.source)).toEqual([5, 1, 6, 4]);
    expect(list[1]?.positive).toBeCloseTo(0.5, 12);
    expect(list[2]).toMatchObject({ source: 6, score: 0.5, uncertainty: 1, reporters: 0, lastFeedback: 0 });
  });

  it('clamps opinions to 0..1 and skips values that are not numbers', () => {
    const [r] = reputations([f({ kind: 'opinion', favourable: 7 }), f({ target: 'x', kind: 'opinion', favourable: Number.NaN })], { now: NOW });
    expect(r).toMatchObject({ opinions: 1, positive: 1, negative: 0 });
  });
});
