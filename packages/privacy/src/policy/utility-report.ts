import { createAnonymizer, type AnonymizerDeps } from './anonymize-event.js';
import { isWaggleAnonymisationObject } from './anonymisation-object.js';
import { attributeValue, flag, objectsOf, text, unwrapEvent, type JsonObject, type MispEventJson } from './misp-event-json.js';
import type { Policy } from './policy-schema.js';
import type { RecipientRef } from './recipient.js';
import { emptyCounts, type OutcomeCounts } from './report.js';

/** A count with the share it is of its whole (`null` when the whole is 0). */
export interface Share {
  readonly count: number;
  readonly of: number;
  readonly share: number | null;
}

/** How much of the events stays useful for `recipient` under `policy`. */
export interface UtilityReport {
  readonly policy: string;
  readonly recipient: string;
  readonly events: number;
  readonly attributes: OutcomeCounts;
  readonly byType: Record<string, OutcomeCounts>;
  /** Pairs of attributes in different events with equal values before that are still equal after, over the pairs before. */
  readonly correlations: Share;
  /** Attributes marked `to_ids` that are still sent (with `to_ids`). */
  readonly toIds: Share;
  /** Error bounds of noisy counts the policy releases; this policy language releases none yet. */
  readonly dp: { readonly applicable: false; readonly reason: string };
}

function add(into: OutcomeCounts, from: OutcomeCounts): void {
  into.total += from.total;
  into.kept += from.kept;
  into.transformed += from.transformed;
  into.suppressed += from.suppressed;
}

const share = (count: number, of: number): Share => ({ count, of, share: of === 0 ? null : count / of });

function attributesOf(event: JsonObject): JsonObject[] {
  return [...objectsOf(event.Attribute), ...objectsOf(event.Object).flatMap((o) => (isWaggleAnonymisationObject(o) ? [] : objectsOf(o.Attribute)))];
}

/** Pairs of items from different events: all pairs minus those inside one event. */
function crossEventPairs(eventIndexes: readonly number[]): number {
  const perEvent = new Map<number, number>();
  for (const e of eventIndexes) perEvent.set(e, (perEvent.get(e) ?? 0) + 1);
  const pairs = (n: number): number => (n * (n - 1)) / 2;
  let inside = 0;
  for (const n of perEvent.values()) inside += pairs(n);
  return pairs(eventIndexes.length) - inside;
}

/**
 * Anonymises `events` for `recipient` and measures what survives: the share
 * of attributes kept, transformed and suppressed (overall and per type),
 * the correlations preserved (attribute pairs across events equal before
 * and still equal after — keyed pseudonyms keep them, suppression loses
 * them), and the `to_ids` indicators still sent. Attributes are followed
 * by UUID; one without a UUID counts as not preserved.
 */
export function utilityReport(events: readonly MispEventJson[], policy: Policy, recipient: RecipientRef, deps: AnonymizerDeps): UtilityReport {
  const anonymizer = createAnonymizer(deps);
  const attributes = emptyCounts();
  const byType: Record<string, OutcomeCounts> = {};
  const before = new Map<string, { event: number; after: string | undefined }[]>();
  let toIdsBefore = 0;
  let toIdsKept = 0;
  let recipientName = typeof recipient === 'string' ? recipient : '';
  events.forEach((input, index) => {
    const { event: out, report } = anonymizer.anonymizeEvent(input, policy, recipient);
    recipientName = report.recipient;
    add(attributes, report.attributes);
    for (const [type, c] of Object.entries(report.byType)) add((byType[type] ??= emptyCounts()), c);
    const after = new Map<string, JsonObject>();
    for (const a of attributesOf(unwrapEvent(out).event)) if (text(a.uuid) !== '') after.set(text(a.uuid), a);
    for (const a of attributesOf(unwrapEvent(input).event)) {
      const uuid = text(a.uuid);
      const sent = uuid === '' ? undefined : after.get(uuid);
      const value = attributeValue(a);
      const list = before.get(value) ?? [];
      list.push({ event: index, after: sent === undefined ? undefined : `${text(sent.type)}\u0000${attributeValue(sent)}` });
      before.set(value, list);
      if (flag(a.to_ids)) {
        toIdsBefore++;
        if (sent !== undefined && flag(sent.to_ids)) toIdsKept++;
      }
    }
  });
  let pairsBefore = 0;
  let pairsAfter = 0;
  for (const list of before.values()) {
    pairsBefore += crossEventPairs(list.map((x) => x.event));
    const byAfter = new Map<string, number[]>();
    for (const x of list) if (x.after !== undefined) byAfter.set(x.after, [...(byAfter.get(x.after) ?? []), x.event]);
    for (const group of byAfter.values()) pairsAfter += crossEventPairs(group);
  }
  return {
    policy: policy.name,
    recipient: recipientName,
    events: events.length,
    attributes,
    byType,
    correlations: share(pairsAfter, pairsBefore),
    toIds: share(toIdsKept, toIdsBefore),
    dp: { applicable: false, reason: 'the policy releases no noisy counts (it has no differential-privacy rules)' },
  };
}
