import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, NotFoundError } from '@waggle/errors';
import { FLOW_FORMATS, generateFlows, loadFlowsArray, readHoneypotFlows, type FlowFormat, type FlowRecord } from '@waggle/flows';
import type { ChunkSource } from '../ensemble/detector-state.js';
import { parseFeedbackLines } from './feedback.js';

/** Dataset formats the detector reads, plus the seeded synthetic generator. */
export const DATA_FORMATS: readonly string[] = [...FLOW_FORMATS, 'synthetic'];

/** What to read: files in a dataset format, or generated flows. */
export interface DataRequest {
  readonly format: string;
  readonly files: readonly string[];
  readonly labelColumn?: string;
  /** Synthetic only: number of flows, seed and chunk (day) index. */
  readonly count?: number;
  readonly seed?: number;
  readonly chunk?: number;
}

/** Flows read for training, scoring or evaluation, with their provenance. */
export interface DataRead {
  readonly flows: FlowRecord[];
  readonly source: ChunkSource;
  readonly badRows: number;
}

async function sha256Files(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      createReadStream(f).on('data', (c) => h.update(c)).on('end', resolve).on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new NotFoundError(`file not found: ${f}`) : new InputError(`cannot read ${f}: ${e.message}`)));
    });
  }
  return h.digest('hex');
}

/** Reads labelled or unlabelled flows from dataset files or the generator; empty data is an InputError. */
export async function readFlowData(req: DataRequest): Promise<DataRead> {
  if (req.format === 'synthetic') {
    const params = { seed: req.seed ?? 1, count: req.count ?? 10_000, chunk: req.chunk ?? 0 };
    const flows = generateFlows(params);
    if (flows.length === 0) throw new InputError('synthetic data needs --count > 0', { field: 'count' });
    const sha256 = createHash('sha256').update(JSON.stringify({ generator: '@waggle/flows generateFlows', ...params })).digest('hex');
    return { flows, source: { source: 'synthetic', sha256, inputs: [`synthetic seed=${params.seed} count=${params.count} chunk=${params.chunk}`] }, badRows: 0 };
  }
  if (!FLOW_FORMATS.includes(req.format as FlowFormat)) throw new InputError(`unknown format "${req.format}" (known: ${DATA_FORMATS.join(', ')})`, { field: 'format' });
  if (req.files.length === 0) throw new InputError('no data files given (--data FILE…)', { field: 'data' });
  const flows: FlowRecord[] = [];
  let badRows = 0;
  for (const file of req.files) {
    const loaded = await loadFlowsArray(file, { format: req.format as FlowFormat, ...(req.labelColumn === undefined ? {} : { labelColumn: req.labelColumn }) });
    for (const f of loaded.flows) flows.push(f);
    badRows += loaded.report.badRows;
  }
  if (flows.length === 0) throw new InputError(`no usable flows in ${req.files.join(', ')}${badRows > 0 ? ` (${badRows} bad rows)` : ''}`, { field: 'data' });
  return { flows, source: { source: `dataset:${req.format}`, sha256: await sha256Files(req.files), inputs: req.files.map((f) => basename(f)) }, badRows };
}

/** Honeypot sessions (Cowrie JSON lines) as attack-labelled flows. */
export async function readHoneypotChunk(file: string): Promise<DataRead> {
  const sha256 = await sha256Files([file]);
  const { flows, badLines } = await readHoneypotFlows(file);
  if (flows.length === 0) throw new InputError(`no honeypot sessions in ${file}`, { field: 'honeypot-log' });
  return { flows, source: { source: 'honeypot', sha256, inputs: [basename(file)] }, badRows: badLines.length };
}

/** Analyst-verified findings / consumer counter-evidence (labelled flow JSON lines). */
export async function readFeedbackChunk(file: string): Promise<DataRead> {
  const sha256 = await sha256Files([file]);
  const flows = parseFeedbackLines(await readFile(file, 'utf8'));
  return { flows, source: { source: 'feedback', sha256, inputs: [basename(file)] }, badRows: 0 };
}
