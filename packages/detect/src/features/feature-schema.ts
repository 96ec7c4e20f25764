import type { FlowRecord } from '@waggle/flows';
import { InputError } from '@waggle/errors';
import { BASE_FEATURE_NAMES, writeRawFeatures } from './flow-features.js';

/**
 * The feature schema saved with a model: column names, the dataset `extra`
 * columns used, and the standard scaler fitted on the training data. Scoring
 * with another schema would silently give wrong results, so it travels with the
 * weights.
 */
export interface FeatureSchema {
  readonly format: 'waggle-detect-features/1';
  readonly names: readonly string[];
  readonly extraColumns: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Extra columns present in at least half of the flows, sorted, so the schema is stable. */
export function commonExtraColumns(flows: readonly FlowRecord[]): string[] {
  const counts = new Map<string, number>();
  for (const f of flows) for (const k of Object.keys(f.extra ?? {})) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n * 2 >= flows.length).map(([k]) => k).sort();
}

/** Raw features of many flows, row-major. */
export function rawMatrix(flows: readonly FlowRecord[], extraColumns: readonly string[]): Float32Array {
  const width = BASE_FEATURE_NAMES.length + extraColumns.length;
  const out = new Float32Array(flows.length * width);
  flows.forEach((f, r) => writeRawFeatures(f, extraColumns, out, r * width));
  return out;
}

/** Fits the standard scaler on training flows (mean 0, unit variance per column). */
export function fitFeatureSchema(flows: readonly FlowRecord[], extraColumns: readonly string[] = commonExtraColumns(flows)): FeatureSchema {
  if (flows.length === 0) throw new InputError('cannot fit features on empty data');
  const names = [...BASE_FEATURE_NAMES, ...extraColumns.map((c) => `extra_${c}`)];
  const width = names.length;
  const raw = rawMatrix(flows, extraColumns);
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < flows.length; r += 1) {
    for (let c = 0; c < width; c += 1) {
      const v = raw[r * width + c] as number;
      mean[c] = (mean[c] as number) + v;
      sq[c] = (sq[c] as number) + v * v;
    }
  }
  const n = flows.length;
  const m = Array.from(mean, (s) => s / n);
  const std = Array.from(sq, (s, c) => {
    const variance = s / n - (m[c] as number) ** 2;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { format: 'waggle-detect-features/1', names, extraColumns: [...extraColumns], mean: m, std };
}

/** Scaled features of many flows (row-major, `schema.names.length` columns). */
export function featureMatrix(flows: readonly FlowRecord[], schema: FeatureSchema): Float32Array {
  const raw = rawMatrix(flows, schema.extraColumns);
  const width = schema.names.length;
  for (let i = 0; i < raw.length; i += 1) {
    const c = i % width;
    const v = ((raw[i] as number) - (schema.mean[c] as number)) / (schema.std[c] as number);
    // Clip far outliers so one absurd row cannot saturate every unit.
    raw[i] = v > 20 ? 20 : v < -20 ? -20 : v;
  }
  return raw;
}

/** Checks a schema read from disk or from a shared object. */
export function parseFeatureSchema(value: unknown): FeatureSchema {
  const s = value as Partial<FeatureSchema> | null;
  const ok =
    s !== null && typeof s === 'object' && s.format === 'waggle-detect-features/1' &&
    Array.isArray(s.names) && Array.isArray(s.extraColumns) && Array.isArray(s.mean) && Array.isArray(s.std) &&
    s.names.length === BASE_FEATURE_NAMES.length + s.extraColumns.length &&
    s.mean.length === s.names.length && s.std.length === s.names.length &&
    [...s.mean, ...s.std].every((x) => typeof x === 'number' && Number.isFinite(x)) && s.std.every((x) => x > 0) &&
    s.extraColumns.every((c) => typeof c === 'string');
  if (!ok) throw new InputError('invalid feature schema (expected waggle-detect-features/1 with matching names, mean and std)');
  return s as FeatureSchema;
}
