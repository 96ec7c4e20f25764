import { InputError } from '@waggle/errors';
import { describe, expect, it } from 'vitest';
import { createRng } from '../generate/rng.js';
import { averagePrecision, computeMetrics, rocAuc } from './metrics.js';
import { chooseThresholdByF1 } from './threshold.js';

/** ROC-AUC by comparing every positive with every negative: the definition, O(n²). */
function pairwiseAuc(scores: readonly number[], labels: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((t, j) => {
      if (labels[j] !== 0) return;
      pairs += 1;
      wins += s > t ? 1 : s === t ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('detection metrics', () => {
  it("matches scikit-learn's documented figures (roc_auc_score 0.75, average_precision_score 0.8333)", () => {
    const m = computeMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(m.rocAuc).toBeCloseTo(0.75, 12);
    expect(m.prAuc).toBeCloseTo(5 / 6, 12);
  });

  it('handles ties as scikit-learn does (hand-derived case)', () => {
    const scores = new Float32Array([0.9, 0.9, 0.7, 0.3, 0.2]);
    const labels = [1, 0, 1, 0, 1];
    const m = computeMetrics(scores, labels);
    // Pairs (pos, neg): (0.9,0.9) ½, (0.9,0.3) 1, (0.7,0.9) 0, (0.7,0.3) 1, (0.2,·) 0 → 2.5 / 6.
    expect(m.rocAuc).toBeCloseTo(2.5 / 6, 12);
    // AP = ⅓·½ + ⅓·⅔ + 0·½ + ⅓·⅗.
    expect(m.prAuc).toBeCloseTo(1 / 6 + 2 / 9 + 1 / 5, 6);
    expect(m).toMatchObject({ tp: 2, fp: 1, tn: 1, fn: 1, count: 5, threshold: 0.5 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('agrees with the pairwise definition on random scores with many ties', () => {
    const rng = createRng('auc');
    for (let round = 0; round < 20; round += 1) {
      const scores = Array.from({ length: 200 }, () => Math.round(rng.next() * 20) / 20);
      const labels = scores.map((s) => (rng.next() < 0.3 + s * 0.4 ? 1 : 0));
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it('gives 1 for a perfect ranking, 0 for a reversed one, NaN when a class is missing, and honours the threshold', () => {
    expect(computeMetrics([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toMatchObject({ rocAuc: 1, prAuc: 1, precision: 1, recall: 1, f1: 1 });
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(computeMetrics([0.2, 0.9], [1, 1]).rocAuc).toBeNaN();
    expect(computeMetrics([0.2, 0.9], [0, 0])).toMatchObject({ prAuc: NaN, precision: 0, recall: 0, f1: 0, fp: 1 });
    expect(computeMetrics([0.6, 0.7], [1, 0], 0.75)).toMatchObject({ tp: 0, fp: 0, tn: 1, fn: 1, threshold: 0.75 });
    expect(computeMetrics([0.75], [1], 0.75).tp).toBe(1);
  });

  it('rejects mismatched lengths, non-finite scores and labels other than 0/1', () => {
    expect(() => computeMetrics([0.1, 0.2], [1])).toThrow(InputError);
    expect(() => computeMetrics([0.1, NaN], [1, 0])).toThrow(/score 1 is not a finite number/);
    expect(() => computeMetrics([0.1, 0.2], [1, 2])).toThrow(/label 1 is 2/);
    expect(() => computeMetrics([0.1], [1], Number.NaN)).toThrow(InputError);
  });
});

describe('threshold choice', () => {
  it('picks the score with the best F1, the highest among ties', () => {
    const best = chooseThresholdByF1([0.9, 0.9, 0.7, 0.3, 0.2], [1, 0, 1, 0, 1]);
    expect(best).toMatchObject({ threshold: 0.2, precision: 0.6, recall: 1 });
    expect(best.f1).toBeCloseTo(0.75, 12);
    const choice = chooseThresholdByF1([0.95, 0.8, 0.6, 0.4, 0.1], [1, 1, 0, 0, 0]);
    expect(choice).toEqual({ threshold: 0.8, f1: 1, precision: 1, recall: 1 });
    expect(computeMetrics([0.95, 0.8, 0.6, 0.4, 0.1], [1, 1, 0, 0, 0], choice.threshold).f1).toBe(1);
  });

  it('needs at least one attack', () => {
    expect(() => chooseThresholdByF1([0.1, 0.2], [0, 0])).toThrow(/at least one attack/);
    expect(() => chooseThresholdByF1([], [])).toThrow(InputError);
  });
});
