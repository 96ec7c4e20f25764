/** The update strategies of the model. */
export type AptStrategy = 'immediate' | 'planned' | 'reactive' | 'informed-reactive';

/**
 * `optimistic`: an update installed in a month lands before that month's attacks (update first).
 * `pessimistic`: the attack comes first, so in a month where the strategy moves to a new version
 * the previous version also counts as installed (APT first).
 */
export type AptCase = 'optimistic' | 'pessimistic';

/** One column of the results: a strategy, its delay in months, and the case. */
export interface StrategySpec {
  readonly strategy: AptStrategy;
  /** 0 for immediate; the k of planned / reactive / informed-reactive. */
  readonly delayMonths: number;
  readonly case: AptCase;
}

/** All strategies, in report order. */
export const APT_STRATEGIES: readonly AptStrategy[] = ['immediate', 'planned', 'reactive', 'informed-reactive'];

/** The delays of the paper (SANS survey: 1, 3 and 7 months). */
export const DEFAULT_DELAYS: readonly number[] = [1, 3, 7];

/** Both cases, optimistic first. */
export const APT_CASES: readonly AptCase[] = ['optimistic', 'pessimistic'];

/** Human name: `Immediate`, `Planned 3m`, `Informed reactive 1m`. */
export function strategyName(spec: Pick<StrategySpec, 'strategy' | 'delayMonths'>): string {
  const base = { immediate: 'Immediate', planned: 'Planned', reactive: 'Reactive', 'informed-reactive': 'Informed reactive' }[spec.strategy];
  return spec.strategy === 'immediate' ? base : `${base} ${spec.delayMonths}m`;
}
