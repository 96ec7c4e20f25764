import type { Finding } from '@waggle/findings';
import type { Observation } from '../observation.js';
import { DEFAULT_CAPS, addToGroup, groupToFinding, newGroup, type FindingGroup, type GroupCaps } from './finding-group.js';

/** Settings of {@link createAggregator}. */
export interface AggregatorOptions {
  /** Window length; observations of one key in one window are one finding (default one hour). */
  readonly windowMs?: number;
  /** How far behind the newest event a window is still kept open for late events (default one minute). */
  readonly latenessMs?: number;
  /** Most open groups; beyond, the oldest is emitted early (default 100,000). */
  readonly maxGroups?: number;
  readonly caps?: GroupCaps;
}

/** Aggregates observations into findings keyed by (detector, source, destination, signature, window). */
export interface Aggregator {
  add(o: Observation): void;
  /** Findings whose window has closed (all when `force`), oldest first; they leave the aggregator. */
  take(force?: boolean): Finding[];
  /** Groups still open. */
  readonly open: number;
}

/**
 * Creates an aggregator. Windows are aligned to multiples of `windowMs`
 * (epoch), so the same log always yields the same findings whatever the
 * batch boundaries, which keeps re-ingestion idempotent.
 */
export function createAggregator(options: AggregatorOptions = {}): Aggregator {
  const windowMs = options.windowMs ?? 3_600_000;
  const lateness = options.latenessMs ?? 60_000;
  const maxGroups = options.maxGroups ?? 100_000;
  const caps = options.caps ?? DEFAULT_CAPS;
  const groups = new Map<string, FindingGroup>();
  const early: Finding[] = [];
  let watermark = -Infinity;
  return {
    get open() {
      return groups.size;
    },
    add(o) {
      const bucket = Math.floor(o.ts / windowMs);
      const key = `${o.detector}\u0000${o.srcIp}\u0000${o.dstIp}\u0000${o.signature}\u0000${String(bucket)}`;
      if (o.ts > watermark) watermark = o.ts;
      const g = groups.get(key);
      if (g !== undefined) {
        addToGroup(g, o, caps);
        return;
      }
      if (groups.size >= maxGroups) {
        // Map iteration order is insertion order: the first key is the oldest group.
        const [oldestKey, oldest] = groups.entries().next().value as [string, FindingGroup];
        groups.delete(oldestKey);
        early.push(groupToFinding(oldest));
      }
      groups.set(key, newGroup(o, bucket, caps));
    },
    take(force = false) {
      const out = early.splice(0);
      for (const [key, g] of groups) {
        if (force || (g.bucket + 1) * windowMs + lateness <= watermark) {
          groups.delete(key);
          out.push(groupToFinding(g));
        }
      }
      return out.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
    },
  };
}
