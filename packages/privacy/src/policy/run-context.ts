import { applyAction, type Outcome, type RunState } from './apply-action.js';
import { decide } from './decide.js';
import type { Action, Policy, Recipient, TechniqueName } from './policy-schema.js';
import type { PreviewEntry } from './preview.js';
import { emptyCounts, type OutcomeCounts, type RemovedObject, type SuppressedItem } from './report.js';
import type { Subject } from './subject.js';

/** Where a value sits, for the preview and the report. */
export interface Place {
  readonly scope: PreviewEntry['scope'];
  readonly uuid?: string;
  readonly type?: string;
  readonly relation?: string;
  readonly half?: 1 | 2;
}

/** The state of one anonymisation run: decisions are taken and recorded here. */
export interface RunContext {
  readonly policy: Policy;
  readonly recipient: Recipient;
  readonly run: RunState;
  readonly eventTags: readonly string[];
  /** Whether to record a preview entry per value (a dry run); off when anonymising for real. */
  readonly recordEntries: boolean;
  readonly entries: PreviewEntry[];
  readonly suppressed: SuppressedItem[];
  readonly objectsRemoved: RemovedObject[];
  readonly techniques: Partial<Record<TechniqueName, number>>;
  readonly attributes: OutcomeCounts;
  readonly byType: Record<string, OutcomeCounts>;
  readonly dropped: Record<string, number>;
  referencesRemoved: number;
}

/** A fresh run context. */
export function newRunContext(policy: Policy, recipient: Recipient, run: RunState, eventTags: readonly string[], recordEntries: boolean): RunContext {
  return { policy, recipient, run, eventTags, recordEntries, entries: [], suppressed: [], objectsRemoved: [], techniques: {}, attributes: emptyCounts(), byType: {}, dropped: {}, referencesRemoved: 0 };
}

/** The decision for one subject: the first matching rule's action applied, recorded in the preview. */
export function treat(ctx: RunContext, subject: Subject, place: Place): Outcome & { rule: string; technique: TechniqueName; action: Action } {
  const { rule, action } = decide(ctx.recipient, subject);
  const outcome = applyAction(action, subject, ctx.run, rule);
  ctx.techniques[action.technique] = (ctx.techniques[action.technique] ?? 0) + 1;
  if (ctx.recordEntries) record(ctx, subject, place, outcome, rule, action.technique);
  if (outcome.kind === 'suppress' || outcome.kind === 'fail') {
    ctx.suppressed.push({
      uuid: place.uuid ?? '',
      type: place.type ?? '',
      ...(place.relation === undefined ? {} : { relation: place.relation }),
      field: subject.field,
      rule,
      reason: outcome.reason,
      failed: outcome.kind === 'fail',
    });
  }
  // The outcome is fresh from applyAction: annotate it rather than copy it.
  return Object.assign(outcome, { rule, technique: action.technique, action });
}

function record(ctx: RunContext, subject: Subject, place: Place, outcome: Outcome, rule: string, technique: TechniqueName): void {
  const after = outcome.kind === 'keep' ? subject.value : outcome.kind === 'transform' ? outcome.value : null;
  const why = outcome.kind === 'suppress' ? outcome.reason : outcome.kind === 'fail' ? `${outcome.reason}: ${outcome.detail}` : undefined;
  ctx.entries.push({
    scope: place.scope,
    ...(place.uuid === undefined ? {} : { uuid: place.uuid }),
    ...(place.type === undefined ? {} : { type: place.type }),
    ...(place.relation === undefined ? {} : { relation: place.relation }),
    field: subject.field,
    ...(place.half === undefined ? {} : { half: place.half }),
    before: subject.value,
    after,
    rule,
    technique,
    ...(why === undefined ? {} : { suppressed: why }),
  });
}

/** Counts an attribute's fate, overall and under its (original) type. */
export function countAttribute(ctx: RunContext, type: string, fate: 'kept' | 'transformed' | 'suppressed'): void {
  const perType = (ctx.byType[type] ??= emptyCounts());
  for (const counts of [ctx.attributes, perType]) {
    counts.total++;
    counts[fate]++;
  }
}
