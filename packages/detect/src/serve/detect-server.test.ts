import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '@waggle/errors';
import { tensorflow } from '../model/tf-backend.js';
import { labelledFlows } from '../test-support/flow-fixtures.js';
import { trainDetector } from '../ensemble/train-detector.js';
import { scoreFlows, disposeEnsemble } from '../ensemble/ensemble.js';
import { saveDetector } from '../registry/detector-store.js';
import { startDetectServer, type DetectServer } from './detect-server.js';

let root: string;
let server: DetectServer;
let expected: number[];
const probe = labelledFlows(50, 11);

beforeAll(async () => {
  const tf = await tensorflow();
  root = await mkdtemp(join(tmpdir(), 'waggle-detect-serve-'));
  const state = await trainDetector(tf, labelledFlows(600, 2), { source: 'test', sha256: 'b'.repeat(64), inputs: [] }, { seed: 2, chunkSize: 600, baseNet: { epochs: 2, width: 8, expansion: 2, residualBlocks: 1 } });
  await saveDetector(tf, join(root, 'm'), state, { now: () => new Date(0) });
  expected = Array.from(await scoreFlows(tf, state.ensemble, probe));
  disposeEnsemble(state.ensemble);
  server = await startDetectServer({ modelDir: join(root, 'm'), host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const post = (body: string): Promise<Response> => fetch(`${server.url}/score`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('detect server', () => {
  it('scores flows on the worker thread exactly like in-process scoring', async () => {
    const res = await post(JSON.stringify({ flows: probe }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: 1, scores: expected });
    const bare = await post(JSON.stringify(probe.slice(0, 3)));
    expect(((await bare.json()) as { scores: number[] }).scores).toEqual(expected.slice(0, 3));
  });

  it('describes the model', async () => {
    const info = (await (await fetch(`${server.url}/model`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ version: 1, bases: 1 });
    expect(info.metrics).toHaveProperty('overall');
  });

  it('rejects bad requests with clear errors', async () => {
    expect((await post('not json')).status).toBe(400);
    const noFlows = await post('{"x":1}');
    expect(noFlows.status).toBe(400);
    const badFlow = await post(JSON.stringify({ flows: [{ srcIp: 1 }] }));
    expect(badFlow.status).toBe(400);
    expect(((await badFlow.json()) as { error: string }).error).toMatch(/flows\[0\]: srcIp must be a string/);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/score`)).status).toBe(405);
  });

  it('refuses to start without a model', async () => {
    await expect(startDetectServer({ modelDir: join(root, 'none'), host: '127.0.0.1', port: 0 })).rejects.toThrow(NotFoundError);
  });
});
