import type { Readable } from 'node:stream';
import type { FlowRecord } from '@waggle/flows';
import type { Finding } from '@waggle/findings';
import { createAggregator, type AggregatorOptions } from '../aggregate/alert-aggregator.js';
import { createFlowHeuristics, type FlowHeuristicsOptions } from '../aggregate/flow-heuristics.js';
import { readLines, type NumberedLine } from '../lines/read-lines.js';
import { addIssue, emptyStats, type IngestStats } from './ingest-stats.js';
import type { LineHandler } from './line-handlers.js';

/** Settings of {@link createIngestor}. */
export interface IngestorOptions {
  readonly aggregation?: AggregatorOptions;
  /** Flow heuristics (scan, brute force) settings; `false` turns them off. */
  readonly heuristics?: FlowHeuristicsOptions | false;
}

/** Lines in, findings out: parsing, aggregation, flow heuristics and counts. */
export interface Ingestor {
  push(line: NumberedLine): void;
  /** Feeds a flow record that came from elsewhere (a CSV loader). */
  pushFlow(flow: FlowRecord, unanswered: boolean): void;
  /** Findings of closed windows (all when `force`). */
  take(force?: boolean): Finding[];
  readonly stats: IngestStats;
}

/** Creates an ingestor around one line handler. */
export function createIngestor(handler: LineHandler, options: IngestorOptions = {}): Ingestor {
  const stats = emptyStats();
  const aggregation = options.aggregation ?? {};
  const aggregator = createAggregator(aggregation);
  const heuristics = options.heuristics === false ? undefined : createFlowHeuristics({
    ...(aggregation.windowMs === undefined ? {} : { windowMs: aggregation.windowMs }),
    ...(aggregation.latenessMs === undefined ? {} : { latenessMs: aggregation.latenessMs }),
    ...(aggregation.caps === undefined ? {} : { caps: aggregation.caps }),
    ...options.heuristics,
  });
  const count = (type: string): void => {
    stats.byType[type] = (stats.byType[type] ?? 0) + 1;
  };
  const ingestor: Ingestor = {
    stats,
    push({ line, text }) {
      stats.lines += 1;
      const r = handler(text);
      switch (r.kind) {
        case 'blank':
        case 'header':
          stats.blank += 1;
          return;
        case 'error':
          addIssue(stats, line, r.reason);
          return;
        case 'ignored':
          count(r.type);
          stats.ignored += 1;
          return;
        case 'observation':
          count(r.type);
          stats.used += 1;
          aggregator.add(r.observation);
          return;
        case 'flow':
          count(r.type);
          stats.used += 1;
          heuristics?.add(r.flow, r.unanswered);
          return;
      }
    },
    pushFlow(flow, unanswered) {
      count('flow');
      stats.used += 1;
      heuristics?.add(flow, unanswered);
    },
    take(force = false) {
      const found = [...aggregator.take(force), ...(heuristics?.take(force) ?? [])];
      stats.findings += found.length;
      return found;
    },
  };
  return ingestor;
}

/** Result of {@link ingestStream}. */
export interface IngestResult {
  readonly findings: Finding[];
  readonly stats: IngestStats;
}

/** Reads a whole stream line by line through an ingestor and returns every finding. */
export async function ingestStream(input: Readable, handler: LineHandler, options: IngestorOptions = {}): Promise<IngestResult> {
  const ingestor = createIngestor(handler, options);
  const findings: Finding[] = [];
  for await (const line of readLines(input)) {
    ingestor.push(line);
    // Emitting closed windows as we go keeps memory flat on long logs.
    if (line.line % 10_000 === 0) findings.push(...ingestor.take());
  }
  findings.push(...ingestor.take(true));
  return { findings, stats: ingestor.stats };
}
