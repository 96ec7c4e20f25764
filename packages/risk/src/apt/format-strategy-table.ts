import { strategyName } from './strategy.js';
import { rowOddsRatio, type StrategyRow } from './strategy-table.js';

const pct = (p: number): string => `${(p * 100).toFixed(1)}%`;

/**
 * The result table as plain text, one line per row, with odds ratios against `baseline`
 * (default: the Immediate-optimistic row of `rows`; `-` when there is none or no ratio exists).
 */
export function formatStrategyTable(rows: readonly StrategyRow[], baseline?: StrategyRow): string {
  const base = baseline ?? rows.find((r) => r.strategy === 'immediate' && r.case === 'optimistic');
  const header = ['strategy', 'case', 'campaigns', 'successful', 'P(compromised)', '95% CI', 'updates', 'odds ratio vs immediate-opt'];
  const body = rows.map((r) => {
    const or = base === undefined ? undefined : rowOddsRatio(r, base);
    return [strategyName(r), r.case, String(r.campaigns), String(r.successful), pct(r.probability), `${pct(r.ciLow)}–${pct(r.ciHigh)}`, String(r.updates), or === undefined ? '-' : `${or.toFixed(2)}x`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
