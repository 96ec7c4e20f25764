import { describe, expect, it } from 'vitest';
import { loadAptDatabase } from './load-apt-database.js';
import { formatStrategyTable } from './format-strategy-table.js';
import { computeStrategyTable, rowOddsRatio, strategyAgreement, type StrategyRow } from './strategy-table.js';
import { sharedAptData } from './test-support/tiny-apt.js';

// The real database (shared data, read-only): the model's invariants must hold on it.
const db = loadAptDatabase(sharedAptData());
const rows = computeStrategyTable(db);
const find = (strategy: string, delay: number, c: string): StrategyRow => rows.find((r) => r.strategy === strategy && r.delayMonths === delay && r.case === c)!;
const baseline = find('immediate', 0, 'optimistic');

describe('APT model on the real campaign database', () => {
  it('reads the campaigns and products of the study', () => {
    expect(db.products.map((p) => [p.id, p.versions.length > 50])).toEqual([['acrobat_reader', true], ['air', true], ['flash_player', true], ['jre', true], ['office', true]]);
    // Figures of the cleaned data (see the README): 170 (APT, month) campaigns name a CVE,
    // 169 start in 2008-01..2020-01, 74 exploit a CVE of one of the five products.
    expect(db.stats).toMatchObject({ campaignsWithCves: 170, campaignsInPeriod: 169, campaignsConsidered: 74 });
    expect(db.problems).toContainEqual(expect.stringContaining('"CVE 2012-0158" read as CVE-2012-0158'));
  });

  it('has one row per strategy, delay and case, all over the same campaigns', () => {
    expect(rows).toHaveLength(2 + 3 * 3 * 2);
    expect(new Set(rows.map((r) => r.campaigns))).toEqual(new Set([db.campaigns.length]));
  });

  it('keeps probabilities in [0, 1] with intervals around them', () => {
    for (const r of rows) {
      expect(r.probability).toBeGreaterThanOrEqual(0);
      expect(r.probability).toBeLessThanOrEqual(1);
      expect(r.ciLow).toBeLessThanOrEqual(r.probability);
      expect(r.ciHigh).toBeGreaterThanOrEqual(r.probability);
      expect(r.ciLow).toBeGreaterThanOrEqual(0);
      expect(r.ciHigh).toBeLessThanOrEqual(1);
    }
  });

  it('is never better in the pessimistic case than in the optimistic one', () => {
    for (const r of rows.filter((x) => x.case === 'pessimistic')) expect(r.successful).toBeGreaterThanOrEqual(find(r.strategy, r.delayMonths, 'optimistic').successful);
  });

  it('has Immediate-optimistic as the lowest probability', () => {
    for (const r of rows) expect(r.probability).toBeGreaterThanOrEqual(baseline.probability);
  });

  it('never lowers the probability of Planned as the delay grows', () => {
    for (const c of ['optimistic', 'pessimistic']) {
      const series = [find('immediate', 0, c), ...[1, 3, 7].map((d) => find('planned', d, c))].map((r) => r.successful);
      expect([...series].sort((a, b) => a - b)).toEqual(series);
    }
  });

  it('needs far fewer updates for Reactive and Informed reactive than for Planned', () => {
    const planned = Math.min(...rows.filter((r) => r.strategy === 'planned').map((r) => r.updates));
    const reactive = Math.max(...rows.filter((r) => r.strategy.endsWith('reactive')).map((r) => r.updates));
    expect(reactive * 5).toBeLessThan(planned);
  });

  it('is close to the paper on the cost of waiting (odds ratio 4.9x at 1 month, 9.1x at 3 months)', () => {
    expect(rowOddsRatio(find('planned', 1, 'optimistic'), baseline)).toBeGreaterThan(3.5);
    expect(rowOddsRatio(find('planned', 1, 'optimistic'), baseline)).toBeLessThan(6.5);
    expect(rowOddsRatio(find('planned', 3, 'optimistic'), baseline)).toBeGreaterThan(7);
    expect(rowOddsRatio(find('planned', 3, 'optimistic'), baseline)).toBeLessThan(12);
  });

  it('reports agreement between strategies and formats the table', () => {
    const a = strategyAgreement(db, { strategy: 'planned', delayMonths: 1, case: 'optimistic' }, { strategy: 'reactive', delayMonths: 1, case: 'optimistic' });
    expect(a.campaigns).toBe(db.campaigns.length);
    expect(a.ciLow).toBeLessThanOrEqual(a.share);
    expect(a.ciHigh).toBeGreaterThanOrEqual(a.share);
    const text = formatStrategyTable(rows);
    expect(text.split('\n')).toHaveLength(rows.length + 2);
    expect(text).toMatch(/^Immediate\s+optimistic\s+74\s+\d+\s+[\d.]+%\s+[\d.]+%–[\d.]+%\s+\d+\s+1\.00x$/m);
  });
});
