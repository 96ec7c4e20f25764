import type { MachineInfo } from '../lib/machine.js';
import type { Engine, StorageSize } from './environment.js';
import type { IngestResult } from './ingest.js';
import type { ExportResult, LookupResult, TagSearchResult, EventViewResult } from './queries.js';

/** A phase that failed; the run goes on with the next one. */
export interface Failure {
  readonly error: string;
}

/** A phase's figures or why it failed. */
export type Outcome<T> = T | Failure;

/** Whether an outcome is a failure. */
export function failed<T>(o: Outcome<T> | undefined): o is Failure | undefined {
  return o === undefined || (typeof o === 'object' && o !== null && 'error' in o);
}

/** Storage after an ingest. */
export interface StorageFigures extends StorageSize {
  readonly bytesPerAttribute: number;
}

/** Everything measured for one engine at one data set size. */
export interface EngineRun {
  readonly engine: Engine;
  readonly databaseVersion: string;
  readonly machine: MachineInfo;
  readonly workload: {
    readonly seed: number;
    readonly events: number;
    readonly attributes: number;
    readonly sharedAttributes: number;
    readonly expectedCorrelationValues: number;
    readonly concurrency: number;
  };
  readonly ingestWithCorrelation: Outcome<IngestResult>;
  readonly ingestWithoutCorrelation: Outcome<IngestResult>;
  /** Extra ingest time due to correlation, in % of the time without. */
  readonly correlationOverheadPercent: number | null;
  /** True when the ingest with correlation was stopped early: the true overhead is higher. */
  readonly correlationOverheadIsLowerBound: boolean;
  readonly storageWithCorrelation: Outcome<StorageFigures>;
  readonly storageWithoutCorrelation: Outcome<StorageFigures>;
  readonly ipRangesRows: number | null;
  readonly ipRangesPerAttribute: number | null;
  /** Event views with correlations resolved at read time (ADR 0004). */
  readonly eventViews: Outcome<EventViewResult>;
  readonly lookups: Outcome<LookupResult>;
  /** The tag + type combination chosen to match about 10,000 attributes. */
  readonly tagSearch: Outcome<TagSearchResult>;
  /** `{"type":"ip-dst","tags":["tlp:green"],"limit":10000}` as written in the issue. */
  readonly tagSearchIssueExample: Outcome<TagSearchResult>;
  /** By the benchmark's server right after the ingest and the other queries (the brief's measure). */
  readonly csvExport: Outcome<ExportResult>;
  /** The same export by a server started afresh in a new process on the same database. */
  readonly csvExportFreshProcess: Outcome<ExportResult>;
  /** Whether ANALYZE ran between ingest and queries (--analyze). */
  readonly analyzedBeforeQueries: boolean;
  /** Server and HTTP clients in the benchmark's process (--in-process) rather than the server in a child process. */
  readonly inProcess: boolean;
  /** Only the ingest with correlation ran (--ingest-only). */
  readonly ingestOnly: boolean;
  readonly notes: readonly string[];
  readonly durationSeconds: number;
}
