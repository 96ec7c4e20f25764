import type { OutcomeCounts } from './report.js';
import type { Share, UtilityReport } from './utility-report.js';

const pct = (n: number, of: number): string => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);
const shareText = (s: Share): string => `${s.count} of ${s.of} (${pct(s.count, s.of)})`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const row = (name: string, c: OutcomeCounts): string[] => [name, String(c.total), pct(c.kept, c.total), pct(c.transformed, c.total), pct(c.suppressed, c.total)];

/** The utility report as a readable text table (the JSON form is the report itself). */
export function formatUtilityTable(report: UtilityReport): string {
  const types = Object.keys(report.byType).sort();
  return [
    `Utility of policy '${report.policy}' for recipient '${report.recipient}' over ${report.events} event${report.events === 1 ? '' : 's'}`,
    '',
    table(['type', 'attributes', 'kept', 'transformed', 'suppressed'], [row('(all)', report.attributes), ...types.map((t) => row(t, report.byType[t] as OutcomeCounts))]),
    '',
    `correlations preserved: ${shareText(report.correlations)}`,
    `to_ids indicators kept: ${shareText(report.toIds)}`,
    `differential privacy:   not applicable (${report.dp.reason})`,
  ].join('\n');
}
