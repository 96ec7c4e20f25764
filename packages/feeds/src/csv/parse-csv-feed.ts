import type { Readable } from 'node:stream';
import { defaultCategory, defaultToIds, isCategoryAllowed, isKnownType, validateAttributeValue } from '@waggle/misp';
import { toIndicator } from '../freetext/extract-indicators.js';
import { columnIndexes, resolveCsvMapping, type ColumnIndexes, type CsvFeedMapping, type ResolvedCsvMapping } from './csv-feed-mapping.js';
import { CsvTokenizer, type CsvRecord } from './csv-tokenizer.js';

/** An attribute read from a CSV feed row. */
export interface CsvFeedAttribute {
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
}

/** A row that did not give an attribute, and why. */
export interface CsvRejectedLine {
  /** Physical line (1-based) the record starts on. */
  readonly line: number;
  readonly reason: string;
}

/** The outcome of reading a CSV feed. */
export interface CsvFeedResult {
  readonly attributes: CsvFeedAttribute[];
  /** The first `maxRejected` rejected rows. */
  readonly rejected: CsvRejectedLine[];
  /** All rejected rows, also those beyond `maxRejected`. */
  readonly rejectedCount: number;
}

/** Options of {@link parseCsvFeed}. */
export interface ParseCsvOptions {
  /** How many rejected rows are listed (default 1000); all are counted. */
  readonly maxRejected?: number;
}

const TRIMMED = /^[\s\0"']+|[\s\0"']+$/g;

/**
 * Reads a CSV feed into attributes, one per row, following `mapping`. Lines
 * starting with `#` are comments (as in MISP's CSV feeds); each value is
 * validated and normalised with `validateAttributeValue`; rows that fail are
 * listed in `rejected` with their line, so one bad row never drops the others.
 * Throws InputError only for a broken mapping or a header that lacks a mapped
 * column, before any attribute is returned.
 */
export async function parseCsvFeed(
  input: string | Readable | AsyncIterable<string | Uint8Array>,
  mapping: CsvFeedMapping,
  options: ParseCsvOptions = {},
): Promise<CsvFeedResult> {
  const resolved = resolveCsvMapping(mapping);
  const maxRejected = options.maxRejected ?? 1000;
  const tokenizer = new CsvTokenizer({ delimiter: resolved.delimiter, quote: resolved.quote, comment: '#', skipLines: resolved.skipLines });
  const attributes: CsvFeedAttribute[] = [];
  const rejected: CsvRejectedLine[] = [];
  let rejectedCount = 0;
  let columns: ColumnIndexes | undefined = resolved.headerRow ? undefined : columnIndexes(resolved, undefined);

  const handle = (records: readonly CsvRecord[]): void => {
    for (const record of records) {
      if (columns === undefined) {
        columns = columnIndexes(resolved, record.fields);
        continue;
      }
      const outcome = record.error === undefined ? toAttribute(record.fields, resolved, columns) : record.error;
      if (typeof outcome === 'string') {
        rejectedCount++;
        if (rejected.length < maxRejected) rejected.push({ line: record.line, reason: outcome });
      } else {
        attributes.push(outcome);
      }
    }
  };

  let first = true;
  for await (const chunk of textChunks(input)) {
    handle(tokenizer.push(first ? chunk.replace(/^\uFEFF/, '') : chunk, false));
    first = false;
  }
  handle(tokenizer.push('', true));
  return { attributes, rejected, rejectedCount };
}

async function* textChunks(input: string | Readable | AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  if (typeof input === 'string') {
    yield input;
    return;
  }
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

function cell(fields: readonly string[], index: number | undefined): string | undefined {
  return index === undefined ? undefined : fields[index]?.replace(TRIMMED, '');
}

// An attribute, or the reason the row gives none.
function toAttribute(fields: readonly string[], mapping: ResolvedCsvMapping, columns: ColumnIndexes): CsvFeedAttribute | string {
  const raw = cell(fields, columns.value);
  if (raw === undefined) return `The row has ${fields.length} column(s); the value column ${columns.value + 1} is missing.`;
  if (raw === '') return `The value in column ${columns.value + 1} is empty.`;
  const comment = cell(fields, columns.comment) ?? '';

  let type: string;
  let value: string;
  let detectedComment = '';
  if (mapping.type === undefined) {
    const found = toIndicator(raw);
    if (!found) return `"${clip(raw)}" is not a recognisable indicator (no type is mapped, so it was detected like freetext).`;
    ({ type, value } = found);
    detectedComment = found.comment ?? '';
  } else {
    type = 'fixed' in mapping.type ? mapping.type.fixed : (cell(fields, columns.type) ?? '');
    if (type === '') return `The type column ${(columns.type ?? 0) + 1} is missing or empty.`;
    if (!isKnownType(type)) return `"${clip(type)}" is not a MISP attribute type.`;
    const verdict = validateAttributeValue(type, raw);
    if (!verdict.ok) return `"${clip(raw)}" is not a valid ${type}: ${verdict.reason}`;
    value = verdict.value;
  }
  const category = mapping.category ?? defaultCategory(type) ?? 'Other';
  if (!isCategoryAllowed(category, type)) return `Category "${category}" does not allow type "${type}".`;
  return { type, category, value, to_ids: mapping.toIds ?? defaultToIds(type) ?? false, comment: comment || detectedComment };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
