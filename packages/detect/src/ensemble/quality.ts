import { computeMetrics, type Labels, type Scores } from '@waggle/flows';

/**
 * Detection quality at a threshold (from `@waggle/flows`' computeMetrics): precision,
 * recall and F1 of the flows scored at or over it, and the threshold-free ROC-AUC and
 * PR-AUC. The AUCs are null (not NaN, so they survive JSON) when a class is absent.
 */
export interface Quality {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly rocAuc: number | null;
  readonly prAuc: number | null;
  readonly positives: number;
  readonly negatives: number;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Computes {@link Quality} of scores against 0/1 labels. */
export function qualityOf(scores: Scores, labels: Labels, threshold = 0.5): Quality {
  const m = computeMetrics(scores, labels, threshold);
  return { precision: m.precision, recall: m.recall, f1: m.f1, rocAuc: finite(m.rocAuc), prAuc: finite(m.prAuc), positives: m.tp + m.fn, negatives: m.tn + m.fp };
}
