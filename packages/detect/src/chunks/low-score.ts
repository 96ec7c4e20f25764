import type { FlowRecord } from '@waggle/flows';
import { permutation, seededRandom } from '../util/prng.js';

/**
 * Sampled low-score traffic as benign training data: flows the current ensemble scores
 * below `maxScore` are relabelled benign (0) and a seeded sample of at most `max` kept.
 * Unlabelled production traffic thus keeps the benign side of new chunks current.
 */
export function lowScoreBenign(flows: readonly FlowRecord[], scores: ArrayLike<number>, options: { maxScore: number; max: number; seed: number }): FlowRecord[] {
  const low = flows.filter((_, i) => (scores[i] as number) < options.maxScore);
  const order = permutation(low.length, seededRandom(options.seed));
  return Array.from(order.subarray(0, Math.min(options.max, low.length)), (i) => ({ ...(low[i] as FlowRecord), label: 0 as const, attackType: 'benign' }));
}
