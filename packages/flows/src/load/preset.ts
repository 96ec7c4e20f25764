import type { RowMapper } from './row-mapper.js';

/** The dataset formats the loaders know. `csv` is any CSV with a header and a label column. */
export type FlowFormat = 'cicflowmeter' | 'unsw-nb15' | 'nsl-kdd' | 'csv';

/** Every format, in the order auto-detection tries them. */
export const FLOW_FORMATS: readonly FlowFormat[] = ['cicflowmeter', 'unsw-nb15', 'nsl-kdd', 'csv'];

/** Options a preset reads. */
export interface PresetOptions {
  /** The generic preset's label column (default `label`, matched case- and punctuation-insensitively). */
  readonly labelColumn?: string;
}

/** A preset bound to one file. */
export interface BoundPreset {
  readonly format: FlowFormat;
  /** Number of fields every row must have. */
  readonly width: number;
  /** Whether the first record was a header (and so is not a flow). */
  readonly headerRow: boolean;
  readonly map: RowMapper;
}

/** A column-mapping preset: from a file's first record to a row mapper. */
export interface FlowPreset {
  readonly format: FlowFormat;
  /** Binds the preset to a file given its first record; throws an InputError naming what is missing. */
  bind(first: readonly string[], options: PresetOptions): BoundPreset;
}
