import { InputError } from '@waggle/errors';
import { groupScores, type Labels, type ScoreGroups, type Scores } from './score-groups.js';

export type { Labels, Scores } from './score-groups.js';

/** Detection quality at one threshold plus the threshold-free areas. */
export interface DetectionMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Area under the ROC curve (Mann–Whitney, ties count one half); NaN when one class is absent. */
  readonly rocAuc: number;
  /** Average precision (area under the precision–recall curve, step-wise as scikit-learn); NaN without positives. */
  readonly prAuc: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  readonly count: number;
  readonly threshold: number;
}

/** Checks lengths, finiteness and 0/1 labels; throws an InputError naming the first problem. */
export function checkScored(scores: Scores, labels: Labels): void {
  if (scores.length !== labels.length) {
    throw new InputError(`scores and labels differ in length (${scores.length} vs ${labels.length})`, { field: 'labels' });
  }
  for (let i = 0; i < scores.length; i += 1) {
    if (!Number.isFinite(scores[i])) throw new InputError(`score ${i} is not a finite number`, { field: 'scores' });
    const label = labels[i];
    if (label !== 0 && label !== 1) throw new InputError(`label ${i} is ${String(label)}, not 0 or 1`, { field: 'labels' });
  }
}

/** ROC-AUC from grouped scores: the rank-sum (Mann–Whitney U) formula, a tie group sharing its mean rank. */
function aucOf(g: ScoreGroups, n: number): number {
  const negatives = n - g.positiveCount;
  if (g.positiveCount === 0 || negatives === 0) return NaN;
  let rankSum = 0;
  let above = 0;
  // Groups run highest first; a group of size t after `above` higher scores holds ascending ranks n-above-t+1 … n-above.
  for (let k = 0; k < g.values.length; k += 1) {
    const t = g.total[k] as number;
    rankSum += (g.positives[k] as number) * (n - above - (t - 1) / 2);
    above += t;
  }
  return (rankSum - (g.positiveCount * (g.positiveCount + 1)) / 2) / (g.positiveCount * negatives);
}

/** Average precision from grouped scores: Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds, highest first. */
function apOf(g: ScoreGroups): number {
  if (g.positiveCount === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let k = 0; k < g.values.length; k += 1) {
    const p = g.positives[k] as number;
    tp += p;
    seen += g.total[k] as number;
    ap += (p / g.positiveCount) * (tp / seen);
  }
  return ap;
}

/** ROC-AUC by the rank-sum (Mann–Whitney U) formula with average ranks for tied scores; NaN when a class is absent. */
export function rocAuc(scores: Scores, labels: Labels): number {
  checkScored(scores, labels);
  return aucOf(groupScores(scores, labels), scores.length);
}

/** Average precision: Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct score thresholds, highest first (scikit-learn's definition). */
export function averagePrecision(scores: Scores, labels: Labels): number {
  checkScored(scores, labels);
  return apOf(groupScores(scores, labels));
}

/** Precision, recall and F1 from counts; 0 where the denominator is 0 (scikit-learn's `zero_division=0`). */
export function ratesOf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Detection metrics of scores against 0/1 labels: a flow is flagged when its score is ≥ `threshold`
 * (default 0.5). Mismatched lengths, non-finite scores and labels other than 0/1 are InputErrors.
 */
export function computeMetrics(scores: Scores, labels: Labels, threshold = 0.5): DetectionMetrics {
  checkScored(scores, labels);
  if (!Number.isFinite(threshold)) throw new InputError('threshold must be a finite number', { field: 'threshold' });
  const groups = groupScores(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i += 1) {
    const flagged = (scores[i] as number) >= threshold;
    if (labels[i] === 1) {
      if (flagged) tp += 1;
      else fn += 1;
    } else if (flagged) fp += 1;
    else tn += 1;
  }
  return {
    ...ratesOf(tp, fp, fn),
    rocAuc: aucOf(groups, scores.length),
    prAuc: apOf(groups),
    tp,
    fp,
    tn,
    fn,
    count: scores.length,
    threshold,
  };
}
