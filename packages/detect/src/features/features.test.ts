import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { aFlow, labelledFlows } from '../test-support/flow-fixtures.js';
import { BASE_FEATURE_NAMES } from './flow-features.js';
import { commonExtraColumns, featureMatrix, fitFeatureSchema, parseFeatureSchema } from './feature-schema.js';
import { portClass } from './port-class.js';

describe('feature pipeline', () => {
  it('buckets destination ports by service', () => {
    expect([22, 2323, 8443, 53, 445, 5432, 3389, 111, 8081, 60000, 0, 70000].map(portClass)).toEqual([
      'ssh', 'telnet', 'https', 'dns', 'smb', 'db', 'rdp', 'other-well-known', 'registered', 'ephemeral', 'none', 'none',
    ]);
  });

  it('fits the scaler on training data: scaled columns have mean 0 and unit variance', () => {
    const flows = labelledFlows(500, 1);
    const schema = fitFeatureSchema(flows);
    const width = schema.names.length;
    expect(width).toBe(BASE_FEATURE_NAMES.length);
    const x = featureMatrix(flows, schema);
    const col = (c: number): number[] => Array.from({ length: flows.length }, (_, r) => x[r * width + c] as number);
    const durations = col(schema.names.indexOf('log_duration_ms'));
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    const sd = Math.sqrt(durations.reduce((a, b) => a + (b - mean) ** 2, 0) / durations.length);
    expect(mean).toBeCloseTo(0, 4);
    expect(sd).toBeCloseTo(1, 3);
    expect(parseFeatureSchema(JSON.parse(JSON.stringify(schema)))).toEqual(schema);
  });

  it('keeps extra columns most rows have, in a stable order, and tolerates absurd values', () => {
    const flows = [aFlow({ extra: { b: 1, a: 2 } }), aFlow({ extra: { a: 3, rare: 1 } }), aFlow({ extra: { b: 5, a: Number.NaN } })];
    expect(commonExtraColumns(flows)).toEqual(['a', 'b']);
    const schema = fitFeatureSchema(flows);
    expect(schema.names.slice(-2)).toEqual(['extra_a', 'extra_b']);
    const x = featureMatrix([aFlow({ fwdBytes: Number.POSITIVE_INFINITY, durationMs: -5, extra: { a: 1e300 } })], schema);
    expect(Array.from(x).every((v) => Number.isFinite(v) && Math.abs(v) <= 20)).toBe(true);
  });

  it('rejects empty training data and malformed schemas', () => {
    expect(() => fitFeatureSchema([])).toThrow(InputError);
    const schema = fitFeatureSchema(labelledFlows(20, 2));
    expect(() => parseFeatureSchema({ ...schema, std: schema.std.map(() => 0) })).toThrow(/invalid feature schema/);
    expect(() => parseFeatureSchema({ ...schema, mean: schema.mean.slice(1) })).toThrow(InputError);
    expect(() => parseFeatureSchema(null)).toThrow(InputError);
  });
});
