import { mkdtemp, readFile, readdir, rm, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '@waggle/errors';
import { tensorflow } from '../model/tf-backend.js';
import { labelledFlows } from '../test-support/flow-fixtures.js';
import { addChunk, trainDetector } from '../ensemble/train-detector.js';
import { scoreFlows, disposeEnsemble } from '../ensemble/ensemble.js';
import type { DetectorState } from '../ensemble/detector-state.js';
import { loadDetector, saveDetector } from './detector-store.js';
import { readRegistry, readVersionFiles } from './model-registry.js';
import { exportMlModelObject, importMlModelObject } from '../share/ml-model-object.js';
import { installVersionFiles } from '../share/install-version.js';

const source = { source: 'test', sha256: 'a'.repeat(64), inputs: ['fixture'] };
const now = (): Date => new Date('2026-12-02T12:00:00Z');
let root: string;
let v1: DetectorState;
const probe = labelledFlows(500, 42);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'waggle-detect-'));
  v1 = await trainDetector(await tensorflow(), labelledFlows(1200, 5), source, { seed: 5, chunkSize: 600, baseNet: { epochs: 2, width: 16, expansion: 2, residualBlocks: 1 } });
});
afterAll(async () => {
  disposeEnsemble(v1.ensemble);
  await rm(root, { recursive: true, force: true });
});

describe('model registry', () => {
  it('saves and loads a version that scores bit-for-bit like the original', async () => {
    const tf = await tensorflow();
    const dir = join(root, 'roundtrip');
    const reg = await saveDetector(tf, dir, v1, { now });
    expect(reg.current).toBe(1);
    expect(reg.versions[0]).toMatchObject({ version: 1, dir: 'v1', created: '2026-12-02T12:00:00.000Z', bases: 2 });
    expect(reg.versions[0]?.chunks.map((c) => c.sha256)).toEqual([source.sha256, source.sha256]);
    expect(reg.versions[0]?.metrics.perChunk).toHaveLength(2);
    const { state } = await loadDetector(tf, dir);
    expect(Array.from(await scoreFlows(tf, state.ensemble, probe))).toEqual(Array.from(await scoreFlows(tf, v1.ensemble, probe)));
    expect(state.replay.rows).toBe(v1.replay.rows);
    disposeEnsemble(state.ensemble);
  });

  it.each(['files-written', 'version-renamed'] as const)('a crash at %s leaves the previous version current', async (stage) => {
    const tf = await tensorflow();
    const dir = join(root, `crash-${stage}`);
    await saveDetector(tf, dir, v1, { now });
    const v2 = await addChunk(tf, v1, labelledFlows(200, 6), source);
    await expect(saveDetector(tf, dir, v2, { now, onStage: (s) => { if (s === stage) throw new Error('simulated crash'); } })).rejects.toThrow('simulated crash');
    expect((await readRegistry(dir)).current).toBe(1);
    expect((await readRegistry(dir)).versions.map((v) => v.version)).toEqual([1]);
    const { state } = await loadDetector(tf, dir);
    expect(state.version).toBe(1);
    disposeEnsemble(state.ensemble);
    // The next commit cleans the debris and succeeds.
    await saveDetector(tf, dir, v2, { now });
    expect((await readRegistry(dir)).current).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['registry.json', 'v1', 'v2']);
    v2.ensemble.bases.at(-1)?.dispose();
  });

  it('rejects a missing or corrupt model directory with clear errors', async () => {
    const tf = await tensorflow();
    await expect(loadDetector(tf, join(root, 'nothing'))).rejects.toThrow(NotFoundError);
    const dir = join(root, 'corrupt');
    await saveDetector(tf, dir, v1, { now });
    await truncate(join(dir, 'v1', 'base-1', 'weights.bin'), 10);
    await expect(loadDetector(tf, dir)).rejects.toThrow(/corrupt model directory .*weights.bin has 10 bytes/);
    await writeFile(join(dir, 'v1', 'manifest.json'), '{"format":"other"}');
    await expect(loadDetector(tf, dir)).rejects.toThrow(InputError);
    await writeFile(join(dir, 'registry.json'), 'not json');
    await expect(loadDetector(tf, dir)).rejects.toThrow(/registry.json is not valid JSON/);
  });
});

describe('models as indicators', () => {
  it('an exported ml-model object imported elsewhere scores identically', async () => {
    const tf = await tensorflow();
    const dir = join(root, 'producer');
    await saveDetector(tf, dir, v1, { now });
    const object = exportMlModelObject((await readVersionFiles(dir)).files, 'waggle-ensemble');
    const rel = (r: string): string[] => object.Attribute.filter((a) => a.object_relation === r).map((a) => a.value);
    expect(rel('framework')).toEqual(['tensorflow.js']);
    expect(rel('sha256')[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(rel('features').length).toBe(v1.ensemble.schema.names.length);
    expect(Object.keys(JSON.parse(rel('metrics')[0] ?? '{}'))).toEqual(expect.arrayContaining(['precision', 'recall', 'f1', 'roc_auc', 'pr_auc']));
    const shipped = JSON.parse(JSON.stringify({ Object: object })) as unknown;
    const consumer = join(root, 'consumer');
    await installVersionFiles(consumer, importMlModelObject(shipped));
    const { state } = await loadDetector(tf, consumer);
    expect(Array.from(await scoreFlows(tf, state.ensemble, probe))).toEqual(Array.from(await scoreFlows(tf, v1.ensemble, probe)));
    expect((await readRegistry(consumer)).versions[0]?.chunks).toEqual(v1.chunks);
    // Training rows stay with the producer.
    expect([state.validation.rows, state.replay.rows]).toEqual([0, 0]);
    disposeEnsemble(state.ensemble);
  });

  it('rejects a tampered attachment, another framework and a non-object', async () => {
    const tf = await tensorflow();
    const dir = join(root, 'tamper');
    await saveDetector(tf, dir, v1, { now });
    const object = exportMlModelObject((await readVersionFiles(dir)).files, 'm');
    const swap = (relation: string, change: Record<string, string>): unknown => ({ ...object, Attribute: object.Attribute.map((a) => (a.object_relation === relation ? { ...a, ...change } : a)) });
    expect(() => importMlModelObject(swap('model', { data: Buffer.from('{"format":"waggle-detect-bundle/1","files":{}}').toString('base64') }))).toThrow(/sha256 mismatch/);
    expect(() => importMlModelObject(swap('framework', { value: 'pytorch' }))).toThrow(/unsupported model framework/);
    expect(() => importMlModelObject({ name: 'file' })).toThrow(/not a MISP ml-model object/);
    expect(JSON.parse(await readFile(join(dir, 'registry.json'), 'utf8'))).toMatchObject({ current: 1 });
  });
});
