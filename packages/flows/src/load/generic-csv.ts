import { normaliseColumn } from './columns.js';
import { layoutFor } from './layout.js';
import type { FlowPreset } from './preset.js';
import { createRowMapper } from './row-mapper.js';

/**
 * Any CSV with a header and a label column (`labelColumn`, default `label`). Columns with a known
 * name (see `COLUMN_ALIASES`: `src_ip`, `dport`, `proto`, `duration` in seconds, `duration_ms`,
 * `fwd_bytes`, …) fill the flow fields; other numeric columns go to `extra`.
 */
export const genericCsvPreset: FlowPreset = {
  format: 'csv',
  bind(first, options) {
    const labelName = options.labelColumn ?? 'label';
    const layout = layoutFor(first, {
      format: 'labelled CSV',
      required: [],
      label: [normaliseColumn(labelName)],
      labelName,
      exclude: ['id'],
    });
    return { format: 'csv', width: first.length, headerRow: true, map: createRowMapper(layout) };
  },
};
