import type { FlowRecord } from '@waggle/flows';

/** A request to the scoring thread. */
export type ScoreRequest =
  | { readonly id: number; readonly op: 'score'; readonly flows: readonly FlowRecord[] }
  | { readonly id: number; readonly op: 'info' };

/** What the model says about itself (`GET /model`). */
export interface ModelInfo {
  readonly version: number;
  readonly combiner: string;
  readonly bases: number;
  readonly features: number;
  readonly metrics: unknown;
  readonly chunks: unknown;
}

/** The scoring thread's answer. */
export type ScoreResponse =
  | { readonly id: number; readonly ok: true; readonly scores?: Float64Array; readonly info?: ModelInfo }
  | { readonly id: number; readonly ok: false; readonly error: { readonly message: string; readonly code?: string } };

/** `workerData` of the scoring thread. */
export interface ScoreWorkerData {
  readonly modelDir: string;
  /** The version to load (default: the current one). */
  readonly version?: number;
  readonly entry: string;
}
