import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { isWaggleError } from '@waggle/errors';
import { captureSightings, parseEvent, unwrap, type Principal } from '@waggle/core';
import type { Runtime } from '../runtime.js';
import { openOutput } from './output-stream.js';
import type { Output } from '../output.js';

/** The JSON files to import: one file, or every `*.json` of a folder except a feed's manifest. */
export function importFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .sort()
    .map((f) => join(path, f));
}

/** The events in a MISP JSON document: `{"Event"}`, `{"response": [...]}`, or a list. */
export function eventsInDocument(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (typeof doc === 'object' && doc !== null) {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o.response)) return o.response;
    if (Array.isArray(o.Event)) return o.Event;
    return [doc];
  }
  return [];
}

/** Result of an import run. */
export interface ImportSummary {
  added: number;
  updated: number;
  failed: number;
  attributes: number;
  sightings: number;
}

/**
 * Imports MISP JSON events. Each event is one transaction: an event that fails
 * validation is reported and skipped, and what was imported before it stays.
 */
export async function importEvents(rt: Runtime, p: Principal, path: string, out: Output, progress: boolean): Promise<ImportSummary> {
  const files = importFiles(path);
  const summary: ImportSummary = { added: 0, updated: 0, failed: 0, attributes: 0, sightings: 0 };
  const bar = progress ? new SingleBar({ format: 'import [{bar}] {value}/{total} files | {events} events | {attrs} attributes', hideCursor: true }, Presets.shades_classic) : undefined;
  bar?.start(files.length, 0, { events: 0, attrs: 0 });
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = eventsInDocument(JSON.parse(readFileSync(file, 'utf8')) as unknown);
    } catch (error) {
      summary.failed++;
      out.warn(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      bar?.increment();
      continue;
    }
    for (const doc of docs) {
      try {
        const input = parseEvent(doc);
        const exists = input.uuid !== undefined && (await rt.services.events.exists(p, input.uuid));
        const ev = exists ? await rt.services.events.edit(p, input.uuid as string, input, { metadata: true }) : await rt.services.events.add(p, input, { metadata: true });
        if (exists) summary.updated++;
        else summary.added++;
        summary.attributes += Number(ev.attribute_count ?? 0);
        // Sightings inside the attributes (a MISP export carries them) are kept, with their organisations.
        summary.sightings += await captureSightings(rt.deps, p, unwrap(doc, 'Event'));
      } catch (error) {
        summary.failed++;
        out.warn(`${file}: ${isWaggleError(error) ? error.message : String(error)}`);
      }
    }
    bar?.increment(1, { events: summary.added + summary.updated, attrs: summary.attributes });
  }
  bar?.stop();
  return summary;
}

/** Writes every event the principal may see as MISP JSON (`{"response": [{"Event": …}, …]}`), streamed. */
export async function exportEvents(rt: Runtime, p: Principal, file: string | undefined): Promise<number> {
  const out = openOutput(file);
  let n = 0;
  await out.write('{"response":[');
  for await (const e of rt.services.events.search(p, {}, { includeCorrelations: false })) {
    await out.write(`${n === 0 ? '' : ','}\n${JSON.stringify({ Event: e })}`);
    n++;
  }
  await out.write('\n]}\n');
  await out.end();
  return n;
}

