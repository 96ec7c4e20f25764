import { InputError } from '@waggle/errors';
import { agrestiCoull, oddsRatio } from './stats.js';
import { APT_CASES, APT_STRATEGIES, DEFAULT_DELAYS, type AptCase, type AptStrategy, type StrategySpec } from './strategy.js';
import { campaignMatrix, campaignSucceeds, countUpdates, strategyMatrices, type CampaignMatrix } from './strategy-matrix.js';
import type { AptDatabase } from './types.js';

/** One result row: a strategy, delay and case against every campaign considered. */
export interface StrategyRow {
  readonly strategy: AptStrategy;
  readonly delayMonths: number;
  readonly case: AptCase;
  /** Campaigns considered (the same for every row). */
  readonly campaigns: number;
  /** Campaigns that could have compromised a host following the strategy. */
  readonly successful: number;
  /** P(compromised | targeted) = successful / campaigns. */
  readonly probability: number;
  /** 95 % Agresti–Coull interval of the probability. */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Versions installed over the period, all products together. */
  readonly updates: number;
}

/** Which rows to compute: defaults to every strategy with delays 1, 3, 7. */
export interface StrategyTableOptions {
  readonly strategies?: readonly AptStrategy[];
  /** Delays for planned / reactive / informed-reactive; 0 is allowed (planned 0 = immediate). */
  readonly delays?: readonly number[];
}

/** The campaign matrices of every considered campaign, in `db.campaigns` order. */
export function campaignMatrices(db: AptDatabase): CampaignMatrix[] {
  return db.campaigns.map((c) => campaignMatrix(db, c));
}

/** Per considered campaign (in `db.campaigns` order): whether it succeeds against the strategy. */
export function campaignOutcomes(db: AptDatabase, spec: StrategySpec, campaigns: readonly CampaignMatrix[] = campaignMatrices(db)): boolean[] {
  const matrices = strategyMatrices(db, spec);
  return campaigns.map((c) => campaignSucceeds(c, matrices));
}

/** The result row of one strategy, delay and case (pass `campaigns` to reuse them across rows). */
export function evaluateStrategy(db: AptDatabase, spec: StrategySpec, campaigns: readonly CampaignMatrix[] = campaignMatrices(db)): StrategyRow {
  const matrices = strategyMatrices(db, spec);
  const successful = campaigns.filter((c) => campaignSucceeds(c, matrices)).length;
  const ci = agrestiCoull(successful, db.campaigns.length);
  return {
    strategy: spec.strategy,
    delayMonths: spec.strategy === 'immediate' ? 0 : spec.delayMonths,
    case: spec.case,
    campaigns: db.campaigns.length,
    successful,
    probability: ci.p,
    ciLow: ci.low,
    ciHigh: ci.high,
    updates: countUpdates(matrices),
  };
}

/** The specs a table covers, in report order; throws `InputError` for a bad strategy or delay. */
export function strategySpecs(options: StrategyTableOptions = {}): StrategySpec[] {
  const strategies = options.strategies ?? APT_STRATEGIES;
  const delays = options.delays ?? DEFAULT_DELAYS;
  for (const s of strategies) if (!APT_STRATEGIES.includes(s)) throw new InputError(`unknown strategy "${String(s)}"; expected one of ${APT_STRATEGIES.join(', ')}`, { field: 'strategy' });
  for (const d of delays) if (!Number.isInteger(d) || d < 0 || d > 120) throw new InputError(`delay must be a whole number of months from 0 to 120, got ${String(d)}`, { field: 'delay' });
  const specs: StrategySpec[] = [];
  for (const strategy of APT_STRATEGIES.filter((s) => strategies.includes(s))) {
    for (const delayMonths of strategy === 'immediate' ? [0] : [...new Set(delays)].sort((a, b) => a - b)) {
      for (const c of APT_CASES) specs.push({ strategy, delayMonths, case: c });
    }
  }
  return specs;
}

/** The result table: one row per (strategy, delay, case). */
export function computeStrategyTable(db: AptDatabase, options: StrategyTableOptions = {}): StrategyRow[] {
  const campaigns = campaignMatrices(db);
  return strategySpecs(options).map((spec) => evaluateStrategy(db, spec, campaigns));
}

/** Odds ratio of a row's compromise against a baseline row (normally Immediate-optimistic). */
export function rowOddsRatio(row: StrategyRow, baseline: StrategyRow): number | undefined {
  return oddsRatio(row.successful, row.campaigns, baseline.successful, baseline.campaigns);
}

/** How often two strategies agree on a campaign (both succeed or both fail), with its interval. */
export interface StrategyAgreement {
  readonly campaigns: number;
  readonly agree: number;
  readonly share: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** The share of considered campaigns on which strategies `a` and `b` agree. */
export function strategyAgreement(db: AptDatabase, a: StrategySpec, b: StrategySpec): StrategyAgreement {
  const campaigns = campaignMatrices(db);
  const oa = campaignOutcomes(db, a, campaigns);
  const ob = campaignOutcomes(db, b, campaigns);
  const agree = oa.filter((v, i) => v === ob[i]).length;
  const ci = agrestiCoull(agree, oa.length);
  return { campaigns: oa.length, agree, share: ci.p, ciLow: ci.low, ciHigh: ci.high };
}
