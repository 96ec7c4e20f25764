import { COMBINER_KINDS, type BaseOutputs, type Combiner, type CombinerKind } from './combiner.js';
import { combinerScores, fitCombiner, sliceCombinerData, type CombinerData } from './fit-combiner.js';
import { qualityOf } from './quality.js';

/** The chosen combiner and each candidate's validation PR-AUC. */
export interface CombinerChoice {
  readonly combiner: Combiner;
  readonly candidates: Readonly<Record<CombinerKind, number>>;
}

/**
 * Chooses the combiner by validation PR-AUC with two-fold cross-fitting (a trained
 * combiner is never judged on the rows it was fitted on), then refits the winner on all
 * validation rows. Ties go to the simpler combiner (the order of COMBINER_KINDS).
 */
export function selectCombiner(outputs: BaseOutputs, features: Float32Array, width: number, labels: Uint8Array, only?: CombinerKind): CombinerChoice {
  const all: CombinerData = { outputs, features, width, labels };
  const half = Math.floor(labels.length / 2);
  const a = sliceCombinerData(all, 0, half);
  const b = sliceCombinerData(all, half, labels.length);
  const candidates = {} as Record<CombinerKind, number>;
  let best: CombinerKind = only ?? 'average';
  for (const kind of only === undefined ? COMBINER_KINDS : [only]) {
    const fold = (fit: CombinerData, test: CombinerData): number => qualityOf(combinerScores(fitCombiner(kind, fit), test), test.labels).prAuc ?? 0;
    const score = half === 0 ? 0 : (fold(a, b) + fold(b, a)) / 2;
    candidates[kind] = score;
    if (score > (candidates[best] ?? -1) + 1e-9) best = kind;
  }
  return { combiner: fitCombiner(best, all), candidates };
}
