import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseOsvRecord, type OsvRecord } from './osv-record.js';

/** A record (or file) that could not be used, and why. Loading carries on without it. */
export interface OsvProblem {
  readonly file: string;
  /** Index in the file's array, when the file holds an array. */
  readonly index?: number;
  readonly reason: string;
}

/** What loading produced: the good records and the problems with the rest. */
export interface OsvLoad {
  readonly records: OsvRecord[];
  readonly problems: OsvProblem[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Parses the text of one OSV JSON file: a single record or an array of them.
 * A broken record is reported and skipped; it never stops the rest.
 */
export function parseOsvJson(text: string, file: string): OsvLoad {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { records: [], problems: [{ file, reason: `not JSON: ${message(error)}` }] };
  }
  const records: OsvRecord[] = [];
  const problems: OsvProblem[] = [];
  const list = Array.isArray(json) ? json : [json];
  list.forEach((item, i) => {
    try {
      records.push(parseOsvRecord(item));
    } catch (error) {
      problems.push({ file, ...(Array.isArray(json) ? { index: i } : {}), reason: message(error) });
    }
  });
  return { records, problems };
}

function jsonFiles(path: string, out: string[]): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) jsonFiles(full, out);
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
  }
}

/**
 * Loads OSV records from a folder (recursively, every `*.json`) or from one
 * file. Unreadable files and broken records are listed in `problems`.
 * @throws Error from the file system when `path` itself cannot be read.
 */
export function loadOsv(path: string): OsvLoad {
  const files: string[] = [];
  if (statSync(path).isDirectory()) jsonFiles(path, files);
  else files.push(path);
  files.sort();
  const records: OsvRecord[] = [];
  const problems: OsvProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file, reason: `unreadable: ${message(error)}` });
      continue;
    }
    const r = parseOsvJson(text, file);
    records.push(...r.records);
    problems.push(...r.problems);
  }
  return { records, problems };
}
