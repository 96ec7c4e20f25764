import type { FlowRecord } from '../flow-record.js';
import { attackTypeOf, labelOf } from '../label.js';
import type { ColumnIndex } from './columns.js';
import { addExtra, parseNumber, parseTimestamp, protocolOf, requireAmount, requirePort, RowError } from './values.js';

/** Running counts a mapper updates while it maps rows. */
export interface MapCounters {
  /** Numeric cells that were `Infinity` or `NaN` and so were left out of `extra`. */
  nonFinite: number;
}

/** How the columns of one file map to the flow model. */
export interface RowLayout {
  readonly columns: ColumnIndex;
  readonly labelIndex: number;
  /** Columns that go to `extra` when numeric: [index, name]. */
  readonly extra: readonly (readonly [number, string])[];
}

/** Maps one row of fields to a flow record; throws {@link RowError} for a row that cannot be used. */
export type RowMapper = (fields: readonly string[], counters: MapCounters) => FlowRecord;

const FLAG_FIELDS = ['syn', 'ack', 'fin', 'rst', 'psh', 'urg'] as const;

function cell(fields: readonly string[], at: number | undefined): string | undefined {
  return at === undefined ? undefined : fields[at];
}

function amount(fields: readonly string[], at: number | undefined, name: string): number {
  return at === undefined ? 0 : requireAmount(fields[at], name);
}

function durationMs(fields: readonly string[], c: ColumnIndex): number {
  if (c.durationMs !== undefined) return requireAmount(fields[c.durationMs], 'duration (ms)');
  if (c.durationUs !== undefined) return requireAmount(fields[c.durationUs], 'flow duration (µs)') / 1000;
  // Rounded to the nanosecond so `1.133312 s` gives 1133.312 ms, not 1133.3120000000001.
  if (c.durationS !== undefined) return Math.round(requireAmount(fields[c.durationS], 'duration (s)') * 1e9) / 1e6;
  return 0;
}

function attackType(label: 0 | 1, labelCell: string, attackCell: string | undefined): string {
  if (label === 0) return 'benign';
  if (attackCell !== undefined && attackCell.trim() !== '' && attackCell.trim() !== '-') {
    const named = attackTypeOf(attackCell);
    if (named !== 'benign') return named;
  }
  return parseNumber(labelCell) === undefined ? attackTypeOf(labelCell) : 'attack';
}

/** Builds the mapper for a layout. Absent fields are 0 (counts, ports, time) or `''` (addresses). */
export function createRowMapper(layout: RowLayout): RowMapper {
  const c = layout.columns;
  return (fields, counters) => {
    const labelCell = fields[layout.labelIndex] ?? '';
    let label: 0 | 1;
    try {
      label = labelOf(labelCell);
    } catch {
      throw new RowError('label: empty');
    }
    const flags: Partial<Record<(typeof FLAG_FIELDS)[number], number>> = {};
    let hasFlags = false;
    for (const flag of FLAG_FIELDS) {
      const at = c[flag];
      if (at === undefined) continue;
      const value = parseNumber(fields[at] ?? '');
      if (value !== undefined && Number.isFinite(value)) {
        flags[flag] = value;
        hasFlags = true;
      }
    }
    const extra: Record<string, number> = {};
    for (const [at, name] of layout.extra) addExtra(extra, name, fields[at] ?? '', counters);
    const tsCell = cell(fields, c.ts);
    const service = cell(fields, c.service)?.trim();
    const state = cell(fields, c.state)?.trim();
    const flowId = cell(fields, c.flowId)?.trim();
    return {
      ts: tsCell === undefined || tsCell.trim() === '' ? 0 : parseTimestamp(tsCell, 'timestamp'),
      srcIp: cell(fields, c.srcIp)?.trim() ?? '',
      srcPort: requirePort(cell(fields, c.srcPort), 'source port'),
      dstIp: cell(fields, c.dstIp)?.trim() ?? '',
      dstPort: requirePort(cell(fields, c.dstPort), 'destination port'),
      protocol: protocolOf(cell(fields, c.protocol)),
      durationMs: durationMs(fields, c),
      fwdPackets: amount(fields, c.fwdPackets, 'forward packets'),
      bwdPackets: amount(fields, c.bwdPackets, 'backward packets'),
      fwdBytes: amount(fields, c.fwdBytes, 'forward bytes'),
      bwdBytes: amount(fields, c.bwdBytes, 'backward bytes'),
      ...(hasFlags ? { flags } : {}),
      extra,
      label,
      attackType: attackType(label, labelCell, cell(fields, c.attackType)),
      ...(service !== undefined && service !== '' && service !== '-' ? { service } : {}),
      ...(state !== undefined && state !== '' && state !== '-' ? { state } : {}),
      ...(flowId !== undefined && flowId !== '' ? { flowId } : {}),
    };
  };
}
