import { writeFileSync } from 'node:fs';
import { generateFlows, type FlowRecord } from '@waggle/flows';
import {
  addChunk, disposeEnsemble, featureMatrix, qualityOf, readFlowData, scoreFlows, scoreMatrix, tensorflow, trainDetector, type DetectorState, type Quality,
} from '@waggle/detect';
import { parseArgs, parseCount } from '../lib/args.js';
import { describeMachine, machineInfo } from '../lib/machine.js';
import { median, round } from '../lib/stats.js';
import { formatTable, thousands } from '../lib/table.js';

const USAGE = `usage: npm run bench -- detect [--train 100k] [--chunks 3] [--chunk 10k] [--score 100k] [--epochs 4] [--seed 1] [--json <file>]
       npm run bench -- detect --format cicflowmeter|unsw-nb15|nsl-kdd|csv --data FILE… [--label-column NAME]
  --train   generated flows in the first chunk (timed: training time per chunk; default 100k)
  --chunks  further generated chunks added incrementally, each from a later, drifted day (default 3)
  --chunk   flows per further chunk (default 10k)
  --score   held-out flows scored to measure throughput and quality (default 100k)
  --format/--data  evaluate on your own labelled dataset instead: seeded 80/20 split, train then test
  --json    also write the figures as JSON to this file`;

const log = (msg: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};
const f4 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));

async function throughput(state: DetectorState, flows: readonly FlowRecord[]): Promise<{ total: number; nets: number; perCpuSecond: number }> {
  const tf = await tensorflow();
  await scoreFlows(tf, state.ensemble, flows.slice(0, 5000)); // warm-up
  const totals: number[] = [];
  const nets: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await scoreFlows(tf, state.ensemble, flows);
    totals.push(flows.length / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    // Flows per second of CPU actually granted: on a shared machine wall time overstates the cost.
    cpu.push(flows.length / ((c.user + c.system) / 1e6));
    const x = featureMatrix(flows, state.ensemble.schema);
    const t1 = performance.now();
    await scoreMatrix(tf, state.ensemble, x, flows.length);
    nets.push(flows.length / ((performance.now() - t1) / 1000));
  }
  return { total: median(totals), nets: median(nets), perCpuSecond: median(cpu) };
}

async function quality(state: DetectorState, flows: readonly FlowRecord[]): Promise<Quality> {
  const scores = await scoreFlows(await tensorflow(), state.ensemble, flows);
  return qualityOf(scores, flows.map((f) => f.label ?? 0), 0.5);
}

/** `npm run bench -- detect`: training time per chunk, ensemble scoring throughput, detection quality. */
export async function runDetectBench(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['help']));
  if (args.named.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const opt = (name: string, fallback: string): string => {
    const v = args.named.get(name);
    return typeof v === 'string' ? v : fallback;
  };
  const seed = parseCount(opt('seed', '1'), 'seed');
  const epochs = parseCount(opt('epochs', '4'), 'epochs');
  const tf = await tensorflow();
  const machine = machineInfo(process.cwd());
  const rows: string[][] = [];
  const figures: Record<string, unknown> = { date: new Date().toISOString(), machine: describeMachine(machine), backend: tf.getBackend() };
  let state: DetectorState;
  let test: FlowRecord[];
  const format = args.named.get('format');
  if (typeof format === 'string') {
    const files = [...args.positional, ...(typeof args.named.get('data') === 'string' ? [args.named.get('data') as string] : [])];
    const label = args.named.get('label-column');
    const data = await readFlowData({ format, files, ...(typeof label === 'string' ? { labelColumn: label } : {}) });
    const cut = Math.floor(data.flows.length * 0.8);
    const shuffled = [...data.flows].sort((a, b) => a.ts - b.ts);
    test = shuffled.slice(cut);
    log(`training on ${thousands(cut)} flows of ${files.join(', ')} (earliest 80 %), testing on the latest ${thousands(test.length)}`);
    const t0 = performance.now();
    state = await trainDetector(tf, shuffled.slice(0, cut), data.source, { seed, chunkSize: Math.max(10, Math.ceil(cut / 3)), baseNet: { epochs } });
    const secs = (performance.now() - t0) / 1000;
    rows.push(['training (3 chunks)', `${round(secs, 1)} s`, `${thousands(cut / secs)} flows/s`]);
    figures.trainSeconds = secs;
  } else {
    const trainN = parseCount(opt('train', '100k'), 'train');
    const chunks = Number(opt('chunks', '3'));
    const chunkN = parseCount(opt('chunk', '10k'), 'chunk');
    const scoreN = parseCount(opt('score', '100k'), 'score');
    log(`generating ${thousands(trainN)} + ${chunks}×${thousands(chunkN)} + ${thousands(scoreN)} flows`);
    const first = generateFlows({ seed, count: trainN, chunk: 0, labelNoise: 0.01 });
    test = generateFlows({ seed: seed + 1000, count: scoreN, chunk: chunks + 1 });
    log(`training the first base net on ${thousands(trainN)} flows (${epochs} epochs)`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    state = await trainDetector(tf, first, { source: 'synthetic', sha256: '', inputs: [] }, { seed, chunkSize: trainN, baseNet: { epochs } });
    const secs = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpuSecs = (c.user + c.system) / 1e6;
    rows.push([`train chunk of ${thousands(trainN)} flows`, `${round(secs, 1)} s`, `${round(cpuSecs, 1)} CPU-s; ${thousands(trainN / secs)} flows/s`]);
    figures.trainCpuSeconds = cpuSecs;
    figures.trainSecondsPer100k = (secs * 100_000) / trainN;
    const before = await quality(state, test);
    for (let c = 1; c <= chunks; c += 1) {
      const t1 = performance.now();
      state = await addChunk(tf, state, generateFlows({ seed: seed + c, count: chunkN, chunk: c, labelNoise: 0.01 }), { source: 'synthetic', sha256: '', inputs: [] });
      const s = (performance.now() - t1) / 1000;
      rows.push([`addChunk ${c} (${thousands(chunkN)} flows + replay)`, `${round(s, 1)} s`, `v${state.version}, combiner ${state.ensemble.combiner.kind}`]);
    }
    rows.push(['quality v1 on drifted held-out day', `ROC-AUC ${f4(before.rocAuc)}`, `PR-AUC ${f4(before.prAuc)}  F1 ${f4(before.f1)}`]);
    figures.qualityV1 = before;
  }
  const q = await quality(state, test);
  const t = await throughput(state, test);
  rows.push([`quality v${state.version} (${state.ensemble.bases.length} bases, ${state.ensemble.combiner.kind})`, `ROC-AUC ${f4(q.rocAuc)}`, `PR-AUC ${f4(q.prAuc)}  F1@0.5 ${f4(q.f1)}  P ${f4(q.precision)}  R ${f4(q.recall)}`]);
  rows.push([`scoring ${thousands(test.length)} flows (features + ensemble)`, `${thousands(t.total)} flows/s`, `nets + combiner only: ${thousands(t.nets)} flows/s; per CPU-second: ${thousands(t.perCpuSecond)} flows`]);
  Object.assign(figures, { quality: q, scoringFlowsPerSecond: t.total, netsFlowsPerSecond: t.nets, scoringFlowsPerCpuSecond: t.perCpuSecond, bases: state.ensemble.bases.length, combiner: state.ensemble.combiner.kind, candidates: state.metrics.combinerCandidates });
  disposeEnsemble(state.ensemble);
  process.stdout.write(`${describeMachine(machine)}\nTensorFlow.js back-end: ${tf.getBackend()}\n\n${formatTable(['measure', 'result', 'detail'], rows)}\n`);
  const json = args.named.get('json');
  if (typeof json === 'string') writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
  return 0;
}
