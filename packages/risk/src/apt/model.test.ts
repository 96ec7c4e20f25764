import { describe, expect, it } from 'vitest';
import { parseAptDatabase } from './parse-apt-database.js';
import type { AptCase, AptStrategy } from './strategy.js';
import { installedSchedule, startVersion } from './strategy-schedule.js';
import { campaignMatrix, strategyMatrices } from './strategy-matrix.js';
import { campaignOutcomes, computeStrategyTable, evaluateStrategy, strategyAgreement } from './strategy-table.js';
import { monthsOf } from './month-set.js';
import { TINY_PERIOD, tinyAptFiles } from './test-support/tiny-apt.js';

const db = parseAptDatabase(tinyAptFiles(), TINY_PERIOD);
const flash = db.products.find((p) => p.id === 'flash_player')!;
const jre = db.products.find((p) => p.id === 'jre')!;
const spec = (strategy: AptStrategy, delayMonths: number, c: AptCase = 'optimistic') => ({ strategy, delayMonths, case: c });

// Hand-derived: columns are Jan..Dec 2010; flash rows 0..3 = 1.0, 1.1, 1.2, 1.3 (see tiny-apt.ts).
const FLASH_SCHEDULES: [AptStrategy, number, number[]][] = [
  // Newest release in the month it comes out: 1.1 in Feb, 1.2 in Apr, 1.3 in Aug.
  ['immediate', 0, [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3]],
  ['planned', 1, [0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]],
  ['planned', 3, [0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3]],
  // Only releases up to March are 7 months old by December: 1.3 is never installed.
  ['planned', 7, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2]],
  // A published in Mar, 1.1 fixes it (released Feb) → move in Apr; B published Jul, fixed
  // first by 1.3 (Aug) → move in Sep. 1.2 is skipped.
  ['reactive', 1, [0, 0, 0, 1, 1, 1, 1, 1, 3, 3, 3, 3]],
  ['reactive', 0, [0, 0, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3]],
  ['reactive', 3, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 3, 3]],
  // A reserved in Jan but no fix until Feb → k counts from Feb; B reserved May, fix in Aug.
  ['informed-reactive', 1, [0, 0, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3]],
  ['informed-reactive', 0, [0, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3]],
];

// Outcomes for campaigns X (Feb, A), W (Apr, A), Y (Jun, B), Z (Sep, B); then updates (Flash + JRE).
const EXPECTED: [AptStrategy, number, AptCase, boolean[], number][] = [
  ['immediate', 0, 'optimistic', [false, false, true, false], 6],
  // Moving to 1.1 in Feb leaves 1.0 installed in Feb: X hits.
  ['immediate', 0, 'pessimistic', [true, false, true, false], 6],
  ['planned', 1, 'optimistic', [true, false, true, false], 6],
  // The Sep move away from 1.2 leaves 1.2 in Sep: Z hits.
  ['planned', 1, 'pessimistic', [true, false, true, true], 6],
  ['planned', 3, 'optimistic', [true, true, true, true], 6],
  ['planned', 7, 'optimistic', [true, true, true, true], 5],
  ['planned', 7, 'pessimistic', [true, true, true, true], 5],
  ['reactive', 1, 'optimistic', [true, false, true, false], 4],
  ['reactive', 1, 'pessimistic', [true, true, true, true], 4],
  ['reactive', 0, 'optimistic', [true, false, true, false], 4],
  ['reactive', 0, 'pessimistic', [true, false, true, false], 4],
  ['reactive', 3, 'optimistic', [true, true, true, true], 4],
  ['informed-reactive', 1, 'optimistic', [true, false, true, false], 4],
  ['informed-reactive', 1, 'pessimistic', [true, false, true, true], 4],
  ['informed-reactive', 0, 'optimistic', [false, false, true, false], 4],
  ['informed-reactive', 0, 'pessimistic', [true, false, true, false], 4],
];

describe('APT model on a hand-built database', () => {
  it('considers only in-period campaigns exploiting an analysed version, in start order', () => {
    expect(db.campaigns.map((c) => c.id)).toEqual(['X@2010-02', 'W@2010-04', 'Y@2010-06', 'Z@2010-09']);
    expect(db.campaigns[1]).toMatchObject({ apt: 'W', cves: ['CVE-2010-0001'], vectors: ['Spearphishing Attachment'] });
    expect(db.stats).toEqual({ campaignRows: 8, cveRows: 6, vectorRows: 2, campaignsWithCves: 6, campaignsInPeriod: 5, campaignsConsidered: 4 });
  });

  it('starts every strategy from the oldest affected version available at the start', () => {
    expect(startVersion(db, flash)).toEqual({ row: 0, from: TINY_PERIOD.start });
    // No JRE version is affected: the oldest available one.
    expect(startVersion(db, jre)).toEqual({ row: 0, from: TINY_PERIOD.start });
  });

  it.each(FLASH_SCHEDULES)('%s with delay %i installs the hand-derived Flash versions', (strategy, delay, expected) => {
    expect([...installedSchedule(db, flash, strategy, delay)]).toEqual(expected);
  });

  it('never moves to a lower major line (JRE 1.6 update5 after 1.7)', () => {
    expect(jre.versions.map((v) => v.label)).toEqual(['1.6 update4', '1.7', '1.6 update5']);
    expect([...installedSchedule(db, jre, 'immediate', 0)]).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...installedSchedule(db, jre, 'planned', 7)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    // Nothing affects the JRE: the reactive strategies never update it.
    expect(new Set(installedSchedule(db, jre, 'reactive', 1))).toEqual(new Set([0]));
  });

  it('builds bitset strategy matrices; the pessimistic one adds the previous version in move months', () => {
    const opt = strategyMatrices(db, spec('immediate', 0))[2]!;
    expect(opt.product.id).toBe('flash_player');
    expect(opt.rows.map(monthsOf)).toEqual([[0], [1, 2], [3, 4, 5, 6], [7, 8, 9, 10, 11]]);
    const pess = strategyMatrices(db, spec('immediate', 0, 'pessimistic'))[2]!;
    expect(pess.rows.map(monthsOf)).toEqual([[0, 1], [1, 2, 3], [3, 4, 5, 6, 7], [7, 8, 9, 10, 11]]);
  });

  it('builds campaign matrices: affected rows per product from the start column', () => {
    const y = campaignMatrix(db, db.campaigns[2]!);
    expect(y.from).toBe(5);
    expect(y.rows[2]).toEqual([0, 1, 2]);
    expect(y.rows[3]).toEqual([]);
  });

  it.each(EXPECTED)('%s %i %s: campaign outcomes and updates', (strategy, delay, c, outcomes, updates) => {
    expect(campaignOutcomes(db, spec(strategy, delay, c))).toEqual(outcomes);
    const row = evaluateStrategy(db, spec(strategy, delay, c));
    const successful = outcomes.filter(Boolean).length;
    expect(row).toMatchObject({ strategy, delayMonths: delay, case: c, campaigns: 4, successful, probability: successful / 4, updates });
    expect(row.ciLow).toBeLessThanOrEqual(row.probability);
    expect(row.ciHigh).toBeGreaterThanOrEqual(row.probability);
  });

  it('computes the table in report order with the default delays', () => {
    const rows = computeStrategyTable(db);
    expect(rows.map((r) => `${r.strategy}/${r.delayMonths}/${r.case}`)).toEqual([
      'immediate/0/optimistic', 'immediate/0/pessimistic',
      ...[1, 3, 7].flatMap((d) => [`planned/${d}/optimistic`, `planned/${d}/pessimistic`]),
      ...[1, 3, 7].flatMap((d) => [`reactive/${d}/optimistic`, `reactive/${d}/pessimistic`]),
      ...[1, 3, 7].flatMap((d) => [`informed-reactive/${d}/optimistic`, `informed-reactive/${d}/pessimistic`]),
    ]);
    expect(computeStrategyTable(db, { strategies: ['reactive'], delays: [3, 0, 3] }).map((r) => r.delayMonths)).toEqual([0, 0, 3, 3]);
  });

  it('rejects unknown strategies and bad delays', () => {
    expect(() => computeStrategyTable(db, { strategies: ['yearly' as AptStrategy] })).toThrow(/unknown strategy "yearly"/);
    expect(() => computeStrategyTable(db, { delays: [-1] })).toThrow(/delay must be a whole number/);
    expect(() => computeStrategyTable(db, { delays: [1.5] })).toThrow(/delay must be a whole number/);
  });

  it('measures pairwise agreement with its interval', () => {
    // Immediate-opt [F,F,T,F] vs Planned 7-opt [T,T,T,T]: they agree on Y only.
    const a = strategyAgreement(db, spec('immediate', 0), spec('planned', 7));
    expect(a).toMatchObject({ campaigns: 4, agree: 1, share: 0.25 });
    expect(a.ciLow).toBeLessThan(0.25);
    expect(a.ciHigh).toBeGreaterThan(0.25);
    expect(strategyAgreement(db, spec('reactive', 1), spec('informed-reactive', 1)).agree).toBe(4);
  });
});
