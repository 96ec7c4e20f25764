import { describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { tensorflow } from '../model/tf-backend.js';
import { labelledFlows, aFlow } from '../test-support/flow-fixtures.js';
import { scoreFlows, disposeEnsemble } from './ensemble.js';
import { addChunk, trainDetector } from './train-detector.js';
import { qualityOf } from './quality.js';

const source = { source: 'test', sha256: '0'.repeat(64), inputs: ['fixture'] };
const fast = { epochs: 3, width: 16, expansion: 2, residualBlocks: 1 };

describe('trainDetector', () => {
  it('reaches ROC-AUC ≥ 0.95 on held-out flows and is reproducible with a seed', async () => {
    const tf = await tensorflow();
    const train = labelledFlows(3000, 1);
    const held = labelledFlows(1000, 99);
    const a = await trainDetector(tf, train, source, { seed: 7, chunkSize: 1000, baseNet: fast });
    const b = await trainDetector(tf, train, source, { seed: 7, chunkSize: 1000, baseNet: fast });
    try {
      expect(a.ensemble.bases).toHaveLength(3);
      const sa = await scoreFlows(tf, a.ensemble, held);
      const sb = await scoreFlows(tf, b.ensemble, held);
      const q = qualityOf(sa, held.map((f) => f.label ?? 0));
      expect(q.rocAuc).toBeGreaterThanOrEqual(0.95);
      expect(Array.from(sb)).toEqual(Array.from(sa));
      expect(b.metrics).toEqual(a.metrics);
      expect(a.metrics.perChunk.map((c) => c.chunk)).toEqual([1, 2, 3]);
    } finally {
      disposeEnsemble(a.ensemble);
      disposeEnsemble(b.ensemble);
    }
  });

  it('rejects unlabelled, single-class and too small data', async () => {
    const tf = await tensorflow();
    const { label: _drop, ...unlabelled } = aFlow();
    await expect(trainDetector(tf, [...labelledFlows(20, 1), unlabelled], source, { seed: 1, chunkSize: 100 })).rejects.toThrow(/flow 21 has no label/);
    await expect(trainDetector(tf, labelledFlows(50, 1, 0), source, { seed: 1, chunkSize: 100 })).rejects.toThrow(InputError);
    await expect(trainDetector(tf, labelledFlows(5, 1), source, { seed: 1, chunkSize: 100 })).rejects.toThrow(/at least 10/);
    await expect(trainDetector(tf, labelledFlows(50, 1), source, { seed: 1, chunkSize: 3 })).rejects.toThrow(/chunk size/);
  });

  it('addChunk adds one base net, keeps the old ones and bumps the version', async () => {
    const tf = await tensorflow();
    const v1 = await trainDetector(tf, labelledFlows(1500, 3), source, { seed: 3, chunkSize: 1500, baseNet: fast });
    const before = v1.ensemble.bases[0]?.getWeights().map((w) => Array.from(w.dataSync()));
    const v2 = await addChunk(tf, v1, labelledFlows(300, 4), { ...source, source: 'more' });
    try {
      expect(v2.version).toBe(2);
      expect(v2.ensemble.bases).toHaveLength(2);
      expect(v2.ensemble.bases[0]).toBe(v1.ensemble.bases[0]);
      expect(v2.ensemble.bases[0]?.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      expect(v2.chunks.map((c) => [c.id, c.source, c.addedIn])).toEqual([[1, 'test', 1], [2, 'more', 2]]);
      expect(v2.metrics.perChunk.map((c) => c.chunk)).toEqual([1, 2]);
    } finally {
      disposeEnsemble(v2.ensemble);
    }
  });
});
