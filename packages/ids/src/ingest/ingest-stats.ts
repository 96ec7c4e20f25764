import type { ParseIssue } from '../observation.js';

/** What an ingestion read, as counts; every line is in exactly one of `used`, `ignored`, `blank`, `issues`. */
export interface IngestStats {
  lines: number;
  /** Lines that fed findings or flow heuristics. */
  used: number;
  /** Well-formed records waggle does not turn into findings (dns, http, tls, …). */
  ignored: number;
  blank: number;
  /** Records read, by type (EVE `event_type`, Zeek log path). */
  readonly byType: Record<string, number>;
  /** Malformed, truncated or incomplete lines. */
  issueCount: number;
  /** The first issues with line numbers (capped so a garbage file does not fill memory). */
  readonly issues: ParseIssue[];
  findings: number;
}

/** Most issues kept with their line numbers; the rest are only counted. */
export const MAX_KEPT_ISSUES = 1000;

/** Empty statistics. */
export function emptyStats(): IngestStats {
  return { lines: 0, used: 0, ignored: 0, blank: 0, byType: {}, issueCount: 0, issues: [], findings: 0 };
}

/** Records an issue. */
export function addIssue(stats: IngestStats, line: number, reason: string): void {
  stats.issueCount += 1;
  if (stats.issues.length < MAX_KEPT_ISSUES) stats.issues.push({ line, reason });
}
