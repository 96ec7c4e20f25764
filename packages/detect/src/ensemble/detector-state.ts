import type { Ensemble } from './ensemble.js';
import type { CombinerKind } from './combiner.js';
import type { LabelledSet } from './labelled-set.js';
import type { Quality } from './quality.js';

/** Where a chunk of training data came from. */
export interface ChunkSource {
  /** `dataset:<format>`, `synthetic`, `honeypot`, `feedback`, `low-score-traffic`, … */
  readonly source: string;
  /** sha256 (hex) of the input files or generator parameters. */
  readonly sha256: string;
  /** Input file names or a short description. */
  readonly inputs: readonly string[];
}

/** One data chunk an ensemble version saw; each chunk trained exactly one base network. */
export interface ChunkInfo extends ChunkSource {
  readonly id: number;
  readonly rows: number;
  readonly attacks: number;
  /** Version in which the chunk was added. */
  readonly addedIn: number;
}

/** Metrics of one version: on all held-out rows and on each chunk's held-out rows. */
export interface VersionMetrics {
  readonly threshold: number;
  readonly overall: Quality;
  readonly perChunk: readonly (Quality & { readonly chunk: number; readonly rows: number })[];
  readonly combinerCandidates: Readonly<Partial<Record<CombinerKind, number>>>;
}

/**
 * Everything a version holds: the ensemble, the chunks it saw, held-out validation rows
 * (for refitting the combiner and per-chunk metrics) and a replay sample of earlier
 * training rows mixed into new chunks.
 */
export interface DetectorState {
  readonly version: number;
  readonly seed: number;
  readonly ensemble: Ensemble;
  readonly chunks: readonly ChunkInfo[];
  readonly validation: LabelledSet;
  readonly replay: LabelledSet;
  readonly metrics: VersionMetrics;
}
