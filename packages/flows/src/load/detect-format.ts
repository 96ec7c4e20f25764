import { InputError, isWaggleError } from '@waggle/errors';
import { cicFlowMeterPreset } from './cicflowmeter.js';
import { genericCsvPreset } from './generic-csv.js';
import { nslKddPreset } from './nsl-kdd.js';
import type { BoundPreset, FlowFormat, FlowPreset, PresetOptions } from './preset.js';
import { unswNb15Preset } from './unsw-nb15.js';

/** The preset of each format. */
export const PRESETS: Readonly<Record<FlowFormat, FlowPreset>> = {
  cicflowmeter: cicFlowMeterPreset,
  'unsw-nb15': unswNb15Preset,
  'nsl-kdd': nslKddPreset,
  csv: genericCsvPreset,
};

/**
 * Binds the first record of a file to a preset: the named format, or with `auto` the first of
 * CICFlowMeter, UNSW-NB15, NSL-KDD and generic CSV that fits. When none fits the InputError says what
 * each preset was missing.
 */
export function bindPreset(first: readonly string[], format: FlowFormat | 'auto', options: PresetOptions): BoundPreset {
  if (format !== 'auto') return PRESETS[format].bind(first, options);
  const reasons: string[] = [];
  for (const preset of Object.values(PRESETS)) {
    try {
      return preset.bind(first, options);
    } catch (error) {
      if (!isWaggleError(error)) throw error;
      reasons.push(error.message);
    }
  }
  throw new InputError(`the file matches no flow preset: ${reasons.join('; ')}`, { field: 'columns' });
}
