import { addMonth, createMonthSet, hasMonthFrom, isEmptyMonthSet, type MonthSet } from './month-set.js';
import type { StrategySpec } from './strategy.js';
import { installedSchedule } from './strategy-schedule.js';
import type { AptCampaign, AptDatabase, AptProduct } from './types.js';

/** A product's strategy matrix: one month bitset per version (matrix row). */
export interface StrategyMatrix {
  readonly product: AptProduct;
  /** `rows[v]` holds the months (columns from the period start) in which version v is installed. */
  readonly rows: readonly MonthSet[];
}

/**
 * The strategy matrices of every product. In the pessimistic case, in each month where the
 * strategy moves to a new version, the version of the previous month is installed too.
 */
export function strategyMatrices(db: AptDatabase, spec: StrategySpec): StrategyMatrix[] {
  const months = db.period.end - db.period.start + 1;
  const delay = spec.strategy === 'immediate' ? 0 : spec.delayMonths;
  return db.products.map((product) => {
    const schedule = installedSchedule(db, product, spec.strategy, delay);
    const rows = product.versions.map(() => createMonthSet(months));
    schedule.forEach((row, col) => {
      if (row < 0) return;
      addMonth(rows[row] as MonthSet, col);
      const before = col > 0 ? (schedule[col - 1] as number) : -1;
      if (spec.case === 'pessimistic' && before >= 0 && before !== row) addMonth(rows[before] as MonthSet, col);
    });
    return { product, rows };
  });
}

/** Number of updates: versions (all products) installed in at least one month. */
export function countUpdates(matrices: readonly StrategyMatrix[]): number {
  return matrices.reduce((sum, m) => sum + m.rows.filter((r) => !isEmptyMonthSet(r)).length, 0);
}

/**
 * A campaign matrix in compact form, per product: the versions affected by a CVE the campaign
 * exploits; each such row is 1 from `from` (the campaign's start column) to the period's end.
 */
export interface CampaignMatrix {
  readonly from: number;
  /** Per product (same order as `db.products`): affected version rows, ascending. */
  readonly rows: readonly (readonly number[])[];
}

/** The campaign matrix of one campaign. */
export function campaignMatrix(db: AptDatabase, campaign: AptCampaign): CampaignMatrix {
  return {
    from: campaign.start - db.period.start,
    rows: db.products.map((p) => [...new Set(campaign.cves.flatMap((cve) => p.affected.get(cve) ?? []))].sort((a, b) => a - b)),
  };
}

/**
 * Whether the campaign succeeds: the element-wise product of its matrix and the strategy
 * matrix is non-zero somewhere, in any product.
 */
export function campaignSucceeds(campaign: CampaignMatrix, matrices: readonly StrategyMatrix[]): boolean {
  return matrices.some((m, p) => (campaign.rows[p] ?? []).some((row) => hasMonthFrom(m.rows[row] as MonthSet, campaign.from)));
}
