import type * as tfType from '@tensorflow/tfjs';
import type { CombinerKind } from './combiner.js';
import type { VersionMetrics } from './detector-state.js';
import { scoreMatrix, type Ensemble } from './ensemble.js';
import { pick, type LabelledSet } from './labelled-set.js';
import { qualityOf } from './quality.js';

/** Threshold used for precision, recall and F1 in stored metrics. */
export const METRICS_THRESHOLD = 0.5;

/** Metrics of an ensemble on all held-out rows and on each chunk's held-out rows. */
export async function versionMetrics(tf: typeof tfType, e: Ensemble, validation: LabelledSet, candidates: Partial<Record<CombinerKind, number>>): Promise<VersionMetrics> {
  const scores = await scoreMatrix(tf, e, validation.x, validation.rows);
  const ids = [...new Set(validation.chunk)].sort((a, b) => a - b);
  const perChunk = ids.map((chunk) => {
    const idx = Uint32Array.from(validation.chunk.keys()).filter((r) => validation.chunk[r] === chunk);
    const part = pick(validation, idx);
    const s = Float64Array.from(idx, (r) => scores[r] as number);
    return { chunk, rows: part.rows, ...qualityOf(s, part.y, METRICS_THRESHOLD) };
  });
  return { threshold: METRICS_THRESHOLD, overall: qualityOf(scores, validation.y, METRICS_THRESHOLD), perChunk, combinerCandidates: candidates };
}
