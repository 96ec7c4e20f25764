import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError, NotFoundError, Secret } from '@waggle/errors';
import { tensorflow } from '../model/tf-backend.js';
import { labelledFlows } from '../test-support/flow-fixtures.js';
import { trainDetector } from '../ensemble/train-detector.js';
import { scoreFlows, disposeEnsemble } from '../ensemble/ensemble.js';
import { saveDetector } from '../registry/detector-store.js';
import { commitVersion, readVersionFiles } from '../registry/model-registry.js';
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
  await saveDetector(tf, join(root, 'keyed'), state, { now: () => new Date(0) });
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

/** Writes version `to` of MODEL_DIR as `detect update` would (atomically): here a copy of the current version's weights. */
async function writeNextVersion(dir: string, to: number): Promise<void> {
  const { entry, files } = await readVersionFiles(dir);
  const manifest = JSON.parse(Buffer.from(files.get('manifest.json') as Uint8Array).toString('utf8')) as Record<string, unknown>;
  files.set('manifest.json', Buffer.from(JSON.stringify({ ...manifest, version: to })));
  await commitVersion(dir, { version: to, created: entry.created, combiner: entry.combiner, bases: entry.bases, chunks: entry.chunks, metrics: entry.metrics }, files);
}

describe('detect server with an API key and reload', () => {
  const key = 'scoring-key-0123456789abcdef';
  let keyed: DetectServer;
  const reloads: { from: number; to: number }[] = [];
  const reloadErrors: Error[] = [];
  beforeAll(async () => {
    keyed = await startDetectServer({ modelDir: join(root, 'keyed'), host: '127.0.0.1', port: 0, key: new Secret(key), reloadIntervalMs: 100, onReload: (r) => reloads.push(r), onReloadError: (e) => reloadErrors.push(e) });
  }, 60_000);
  afterAll(async () => {
    await keyed.close();
  });
  const score = (authorization?: string): Promise<Response> =>
    fetch(`${keyed.url}/score`, { method: 'POST', body: JSON.stringify({ flows: probe.slice(0, 5) }), headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) } });

  it('answers 401 with a JSON error without the right key, scores with it, and leaves /health open', async () => {
    for (const res of [await score(), await score('wrong-key-0123456789abcdef'), await score(`Bearer ${key}x`), await fetch(`${keyed.url}/model`)]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: string }).error).toMatch(/API key/);
    }
    for (const auth of [key, `Bearer ${key}`]) {
      const ok = await score(auth);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { scores: number[] }).scores).toEqual(expected.slice(0, 5));
    }
    const health = await fetch(`${keyed.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('refuses to start on a non-loopback address without a key', async () => {
    await expect(startDetectServer({ modelDir: join(root, 'keyed'), host: '0.0.0.0', port: 0 })).rejects.toThrow(InputError);
    await expect(startDetectServer({ modelDir: join(root, 'keyed'), host: '::', port: 0 })).rejects.toThrow(/without an API key/);
  });

  it('picks up a new current version without failing requests in flight, and reports it', async () => {
    const modelVersion = async (): Promise<number> => ((await (await fetch(`${keyed.url}/model`, { headers: { authorization: key } })).json()) as { version: number }).version;
    expect(await modelVersion()).toBe(1);
    // Keep requests going while the new version is written and picked up by the poll.
    const statuses: number[] = [];
    const versions = new Set<number>();
    let switched = false;
    const traffic = (async () => {
      while (!switched) {
        const batch = await Promise.all(Array.from({ length: 4 }, () => score(key)));
        for (const res of batch) {
          statuses.push(res.status);
          if (res.status === 200) versions.add(((await res.json()) as { version: number }).version);
        }
      }
    })();
    await writeNextVersion(join(root, 'keyed'), 2);
    await vi.waitFor(async () => expect(await modelVersion()).toBe(2), { timeout: 30_000, interval: 100 });
    switched = true;
    await traffic;
    expect(keyed.version).toBe(2);
    expect(reloads).toEqual([{ from: 1, to: 2 }]);
    expect(reloadErrors).toEqual([]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(versions.has(1)).toBe(true);
    const after = await score(key);
    expect(((await after.json()) as { version: number; scores: number[] })).toEqual({ version: 2, scores: expected.slice(0, 5) });
    // Nothing new: a reload is a no-op.
    expect(await keyed.reload()).toBe(false);
  }, 60_000);
});
