import { InputError } from '@waggle/errors';
import { checkScored, ratesOf } from './metrics.js';
import { groupScores, type Labels, type Scores } from './score-groups.js';

/** The threshold with the best F1 on validation data, and its rates. */
export interface ThresholdChoice {
  readonly threshold: number;
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
}

/**
 * Chooses the decision threshold that maximises F1 on validation scores (flagged when score ≥
 * threshold). Every distinct score is a candidate; among equal F1 the highest threshold wins (fewer
 * alerts). Needs at least one positive label.
 */
export function chooseThresholdByF1(scores: Scores, labels: Labels): ThresholdChoice {
  checkScored(scores, labels);
  const g = groupScores(scores, labels);
  if (g.positiveCount === 0) throw new InputError('choosing a threshold needs at least one attack in the validation data', { field: 'labels' });
  let best: ThresholdChoice | undefined;
  let tp = 0;
  let flagged = 0;
  for (let k = 0; k < g.values.length; k += 1) {
    tp += g.positives[k] as number;
    flagged += g.total[k] as number;
    const rates = ratesOf(tp, flagged - tp, g.positiveCount - tp);
    if (best === undefined || rates.f1 > best.f1) best = { threshold: g.values[k] as number, ...rates };
  }
  return best as ThresholdChoice;
}
