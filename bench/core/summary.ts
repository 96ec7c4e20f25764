import { correlationValues, splitCompositeValue } from '@waggle/misp';
import { createPrng, deriveSeed } from './prng.js';
import type { Workload } from './generator.js';

/** What the benchmark needs to know about a workload before and after ingesting it. */
export interface WorkloadSummary {
  readonly events: number;
  readonly attributes: number;
  /** Attributes whose value came from the shared pool. */
  readonly sharedAttributes: number;
  readonly typeCounts: Readonly<Record<string, number>>;
  /** tag → type → number of attributes of that type in events with that tag. */
  readonly tagTypeCounts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** correlation_values rows the server should write with correlation on (before the over-correlation cap, which is applied at read time). */
  readonly expectedCorrelationValues: number;
  /** Values of randomly chosen existing attributes (value1 for composites), for the lookup test. */
  readonly lookupValues: readonly string[];
  /** Events spread over the workload (every k-th), to time event views with their correlations. */
  readonly viewEvents: readonly { readonly uuid: string; readonly attributes: number }[];
  readonly warmupValues: readonly string[];
}

function sampleIndices(count: number, total: number, seed: number): number[] {
  const r = createPrng(seed);
  const chosen = new Set<number>();
  const want = Math.min(count, total);
  while (chosen.size < want) chosen.add(r.int(0, total - 1));
  return [...chosen];
}

/** Walks the whole workload once (it is regenerated, not kept in memory). */
export function summarize(workload: Workload, lookups: number, warmups = 20, views = 30): WorkloadSummary {
  const total = workload.options.attributes;
  const picks = sampleIndices(lookups + warmups, total, deriveSeed(workload.options.seed, 0x7fff_fff1));
  const lookupAt = new Map<number, number>(picks.map((at, i) => [at, i]));
  const sampled: string[] = new Array<string>(picks.length).fill('');
  const typeCounts: Record<string, number> = {};
  const tagTypeCounts: Record<string, Record<string, number>> = {};
  let attributes = 0;
  let shared = 0;
  let corr = 0;
  let events = 0;
  const allEvents: { uuid: string; attributes: number }[] = [];
  for (const e of workload.events()) {
    events++;
    allEvents.push({ uuid: e.uuid, attributes: e.attributes.length });
    const perType: Record<string, number> = {};
    for (const a of e.attributes) {
      perType[a.type] = (perType[a.type] ?? 0) + 1;
      if (a.shared) shared++;
      const parts = splitCompositeValue(a.type, a.value);
      corr += correlationValues(a.type, parts.value1, parts.value2).length;
      const slot = lookupAt.get(attributes);
      if (slot !== undefined) sampled[slot] = parts.value1;
      attributes++;
    }
    for (const [type, n] of Object.entries(perType)) {
      typeCounts[type] = (typeCounts[type] ?? 0) + n;
      for (const tag of e.tags) {
        const byType = (tagTypeCounts[tag] ??= {});
        byType[type] = (byType[type] ?? 0) + n;
      }
    }
  }
  return {
    events,
    attributes,
    sharedAttributes: shared,
    typeCounts,
    tagTypeCounts,
    expectedCorrelationValues: corr,
    lookupValues: sampled.slice(0, lookups),
    warmupValues: sampled.slice(lookups),
    viewEvents: allEvents.filter((_, i) => i % Math.max(1, Math.floor(allEvents.length / views)) === 0).slice(0, views),
  };
}

// Longer type lists than this make an unrealistic query; small data sets then report fewer matches.
const MAX_TYPES = 4;

/** A tag + type restSearch and how many attributes it matches. */
export interface TagTypeQuery {
  readonly tags: readonly string[];
  readonly types: readonly string[];
  readonly matching: number;
}

/**
 * The tag + type combination whose result is closest to `target` from above
 * (a single type, or the 2-4 most common types), so that the search really
 * returns about `target` attributes rather than stopping at a limit early.
 * With a data set too small for any combination to reach `target`, the largest.
 */
export function chooseTagTypeQuery(s: WorkloadSummary, target: number): TagTypeQuery {
  const byFrequency = Object.entries(s.typeCounts).sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const candidates: TagTypeQuery[] = [];
  for (const [tag, counts] of Object.entries(s.tagTypeCounts)) {
    for (const type of byFrequency) candidates.push({ tags: [tag], types: [type], matching: counts[type] ?? 0 });
    for (let k = 2; k <= Math.min(MAX_TYPES, byFrequency.length); k++) {
      const types = byFrequency.slice(0, k);
      candidates.push({ tags: [tag], types, matching: types.reduce((n, t) => n + (counts[t] ?? 0), 0) });
    }
  }
  const enough = candidates.filter((c) => c.matching >= target).sort((a, b) => a.matching - b.matching || a.types.length - b.types.length);
  if (enough[0] !== undefined) return enough[0];
  const largest = [...candidates].sort((a, b) => b.matching - a.matching)[0];
  if (largest === undefined) throw new Error('workload has no tagged attributes');
  return largest;
}
