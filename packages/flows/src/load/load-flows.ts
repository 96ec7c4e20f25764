import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { InputError, NotFoundError } from '@waggle/errors';
import { parse, type CsvError } from 'csv-parse';
import type { FlowRecord } from '../flow-record.js';
import { bindPreset } from './detect-format.js';
import type { BoundPreset, FlowFormat } from './preset.js';
import type { MapCounters } from './row-mapper.js';
import { RowError } from './values.js';

/** A file path, or the bytes/text of a file as a stream (e.g. `process.stdin`). */
export type FlowInput = string | AsyncIterable<string | Uint8Array>;

/** Options of {@link loadFlows}. */
export interface LoadFlowsOptions {
  /** The column-mapping preset, or `auto` (default) to detect it from the first record. */
  readonly format?: FlowFormat | 'auto';
  /** Label column of the generic `csv` preset (default `label`). */
  readonly labelColumn?: string;
  /** How many bad rows to keep with their line numbers (default 100); all are counted. */
  readonly keepBadRows?: number;
}

/** A row that could not be used. */
export interface BadRow {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
}

/** What a load saw; final once the iteration has finished. */
export interface LoadReport {
  /** The preset in use, once the first record was read. */
  readonly format: FlowFormat | undefined;
  /** Data rows read (header excluded). */
  readonly rows: number;
  /** Rows turned into flows. */
  readonly flows: number;
  readonly badRows: number;
  /** The first `keepBadRows` bad rows. */
  readonly badRowSamples: readonly BadRow[];
  /** Numeric cells that were `Infinity`/`NaN` and were left out of `extra`. */
  readonly nonFiniteValues: number;
}

/** A streaming load: iterate it once for the flows, then read its report. */
export interface FlowLoader extends AsyncIterable<FlowRecord> {
  report(): LoadReport;
}

function openInput(input: FlowInput): Readable {
  if (typeof input !== 'string') return input instanceof Readable ? input : Readable.from(input);
  const stream = createReadStream(input);
  return stream;
}

function inputError(error: unknown, input: FlowInput): Error {
  const code = (error as { code?: string }).code;
  const name = typeof input === 'string' ? input : 'the input';
  if (code === 'ENOENT') return new NotFoundError(`flow file not found: ${name}`, { field: 'path' });
  if (code === 'EISDIR' || code === 'EACCES') return new InputError(`cannot read ${name}: ${code}`, { field: 'path' });
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Streams the flows of a labelled dataset file (CICFlowMeter, UNSW-NB15, NSL-KDD or a generic CSV),
 * one record at a time, so files of any size load in constant memory. Rows that cannot be used
 * (wrong field count, non-numeric counts, empty label, broken quoting) are skipped and counted with
 * their line numbers in {@link FlowLoader.report}. A file no preset fits fails with an InputError
 * naming the missing columns before any flow is yielded; a missing file is a NotFoundError.
 */
export function loadFlows(input: FlowInput, options: LoadFlowsOptions = {}): FlowLoader {
  const keep = options.keepBadRows ?? 100;
  const bad: BadRow[] = [];
  const counters: MapCounters = { nonFinite: 0 };
  let format: FlowFormat | undefined;
  let rows = 0;
  let flows = 0;
  let badRows = 0;
  let started = false;
  const fail = (line: number, reason: string): void => {
    badRows += 1;
    if (bad.length < keep) bad.push({ line, reason });
  };

  async function* iterate(): AsyncGenerator<FlowRecord> {
    const source = openInput(input);
    const parser = parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true, info: true, skip_records_with_error: true });
    parser.on('skip', (error: CsvError & { lines?: number }) => fail(error.lines ?? 0, `malformed CSV: ${error.message}`));
    source.on('error', (error) => parser.destroy(inputError(error, input)));
    source.pipe(parser);
    let preset: BoundPreset | undefined;
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const { record } = item;
        const line = item.info.lines;
        if (preset === undefined) {
          preset = bindPreset(record, options.format ?? 'auto', options.labelColumn === undefined ? {} : { labelColumn: options.labelColumn });
          format = preset.format;
          if (preset.headerRow) continue;
        }
        rows += 1;
        if (record.every((cell) => cell.trim() === '')) {
          fail(line, 'empty row');
          continue;
        }
        if (record.length !== preset.width) {
          fail(line, `expected ${preset.width} fields, found ${record.length}`);
          continue;
        }
        let flow: FlowRecord;
        try {
          flow = preset.map(record, counters);
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          fail(line, error.message);
          continue;
        }
        flows += 1;
        yield flow;
      }
    } finally {
      source.unpipe(parser);
      source.destroy();
      parser.destroy();
    }
    if (preset === undefined) throw new InputError('the flow file is empty', { field: 'data' });
  }

  return {
    [Symbol.asyncIterator]() {
      if (started) throw new InputError('a flow load can be iterated once; call loadFlows again');
      started = true;
      return iterate();
    },
    report: () => ({ format, rows, flows, badRows, badRowSamples: [...bad], nonFiniteValues: counters.nonFinite }),
  };
}

/** Loads a whole file into memory with its report; for small files and tests. */
export async function loadFlowsArray(input: FlowInput, options: LoadFlowsOptions = {}): Promise<{ flows: FlowRecord[]; report: LoadReport }> {
  const loader = loadFlows(input, options);
  const flows: FlowRecord[] = [];
  for await (const flow of loader) flows.push(flow);
  return { flows, report: loader.report() };
}
