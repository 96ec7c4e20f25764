import type { Readable } from 'node:stream';
import { loadFlows } from '@waggle/flows';
import type { Finding } from '@waggle/findings';
import { createIngestor, type IngestorOptions, type IngestResult } from './ingestor.js';
import type { LineHandler } from './line-handlers.js';

// CSV rows never reach a line handler: the @waggle/flows loader parses them.
const NO_LINES: LineHandler = () => ({ kind: 'error', reason: 'CSV rows are read by the flow loader' });

/**
 * Reads a CICFlowMeter CSV (CIC-IDS2017/2018 column names or current
 * CICFlowMeter output) with the `@waggle/flows` loader and runs the flow
 * heuristics (port scan, brute force) over it. Bad rows are counted with
 * their line numbers like bad log lines. `onFindings` receives findings as
 * windows close, so a long file is reported as it is read.
 */
export async function ingestFlowCsv(input: string | Readable, options: IngestorOptions = {}, onFindings?: (found: Finding[]) => void): Promise<IngestResult> {
  const ingestor = createIngestor(NO_LINES, options);
  const loader = loadFlows(input, { format: 'cicflowmeter' });
  const findings: Finding[] = [];
  const emit = (found: Finding[]): void => {
    if (found.length === 0) return;
    if (onFindings === undefined) findings.push(...found);
    else onFindings(found);
  };
  let n = 0;
  for await (const flow of loader) {
    // CICFlowMeter has no handshake state: a flow the responder never answered is the scan evidence.
    ingestor.pushFlow(flow, flow.bwdPackets === 0);
    n += 1;
    if (n % 10_000 === 0) emit(ingestor.take());
  }
  emit(ingestor.take(true));
  const report = loader.report();
  const stats = ingestor.stats;
  stats.lines = report.rows + (report.format === undefined ? 0 : 1);
  stats.blank = report.format === undefined ? 0 : 1;
  stats.issueCount = report.badRows;
  stats.issues.push(...report.badRowSamples);
  stats.byType.flow = report.flows;
  return { findings, stats };
}
