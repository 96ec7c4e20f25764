import type { PolicyField, TechniqueName } from './policy-schema.js';
import type { AnonymisationReport } from './report.js';

/** What happens to one value (or half, or field) of the event. */
export interface PreviewEntry {
  readonly scope: 'attribute' | 'object' | 'event';
  readonly uuid?: string;
  readonly type?: string;
  readonly relation?: string;
  readonly field: PolicyField;
  /** For a composite value, which half (1 or 2). */
  readonly half?: 1 | 2;
  readonly before: string;
  /** The value sent; `null` when suppressed. */
  readonly after: string | null;
  readonly rule: string;
  readonly technique: TechniqueName;
  /** Why the value is not sent, when it is not. */
  readonly suppressed?: string;
}

/** A dry run: what would be sent, value by value, and the report; the event is not changed. */
export interface AnonymisationPreview {
  readonly entries: PreviewEntry[];
  readonly report: AnonymisationReport;
}
