import type { PolicyField, TechniqueName } from './policy-schema.js';

/** How many attributes ended up each way. */
export interface OutcomeCounts {
  total: number;
  kept: number;
  transformed: number;
  suppressed: number;
}

/** One attribute (or half, or field) removed, and why; never its value. */
export interface SuppressedItem {
  readonly uuid: string;
  readonly type: string;
  readonly relation?: string;
  readonly field: PolicyField;
  readonly rule: string;
  readonly reason: string;
  /** True when a technique could not handle the value (fail-closed), not a rule's choice. */
  readonly failed: boolean;
}

/** An object removed because suppression left it empty or without required attributes. */
export interface RemovedObject {
  readonly uuid: string;
  readonly name: string;
  readonly reason: string;
}

/**
 * What one anonymisation did. Safe to log: it names attributes by UUID and
 * type, techniques, rules and key names with versions, never values or key
 * material.
 */
export interface AnonymisationReport {
  readonly policy: string;
  readonly recipient: string;
  /** The event already carried waggle's anonymisation for this policy and recipient: returned unchanged. */
  readonly alreadyAnonymised: boolean;
  readonly generatedAt: string;
  readonly attributes: OutcomeCounts;
  readonly byType: Record<string, OutcomeCounts>;
  /** How many values (halves, fields) each technique decided, `keep` included. */
  readonly techniques: Partial<Record<TechniqueName, number>>;
  readonly suppressed: SuppressedItem[];
  readonly objectsRemoved: RemovedObject[];
  readonly referencesRemoved: number;
  /** Parts dropped wholesale: `RelatedEvent`, `ShadowAttribute`, local tags… with counts. */
  readonly dropped: Record<string, number>;
  readonly keys: { name: string; version: number }[];
}

/** A fresh counter. */
export function emptyCounts(): OutcomeCounts {
  return { total: 0, kept: 0, transformed: 0, suppressed: 0 };
}
