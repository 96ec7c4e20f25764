import { defaultCategory, defaultToIds } from '@waggle/misp';
import { createPrng, deriveSeed, type Prng } from './prng.js';
import { CONTEXT_TAGS, TLP_TAGS, TYPE_MIX, pickType, typeShare, type TypeSpec } from './type-mix.js';
import { theme } from './values.js';

/** What to generate. */
export interface WorkloadOptions {
  /** Total number of attributes over all events. */
  readonly attributes: number;
  readonly seed: number;
  /** Share of attribute values drawn from the shared pool (they repeat across events). */
  readonly sharedFraction?: number;
  readonly minEventSize?: number;
  readonly maxEventSize?: number;
  /**
   * Number of events (default: one per 100 attributes, the issue's 1M attributes across
   * 10,000 events). Sizes then follow a bounded power law with that mean: most events are
   * small, a few are large, as in real feeds. `'log-uniform'` gives runs 1–10's shape instead
   * (log-uniform sizes, 645 events at 1M).
   */
  readonly events?: number | 'log-uniform';
}

/** One generated attribute, in the fields a MISP client sends. */
export interface GeneratedAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
  /** Whether the value came from the shared pool (for the summary only; not sent). */
  readonly shared: boolean;
}

/** One generated event. */
export interface GeneratedEvent {
  readonly index: number;
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  readonly threat_level_id: number;
  readonly analysis: number;
  readonly tags: readonly string[];
  readonly attributes: readonly GeneratedAttribute[];
}

/** A deterministic data set: event sizes are fixed up front, events are built on demand. */
export interface Workload {
  readonly options: Required<WorkloadOptions>;
  readonly eventSizes: readonly number[];
  /** Builds event `index` (the same content on every call). */
  event(index: number): GeneratedEvent;
  events(): Iterable<GeneratedEvent>;
}

// Of the shared-pool draws, this share goes to a handful of "hot" values per
// type: they recur far more often than the correlation cap, as popular
// infrastructure (public resolvers, CDNs) does in real feeds.
const HOT_SHARE = 0.1;
const HOT_PER_TYPE = 3;
// Pool size relative to the attribute count: each pooled value is seen ~4-5 times.
const POOL_RATIO = 0.02;

/** A v4 UUID from the generator. */
export function uuidFrom(r: Prng): string {
  const h = r.hex(32);
  const variant = '89ab'[r.int(0, 3)] ?? '8';
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Log-uniform event sizes between min and max that sum to exactly `total`. */
export function eventSizes(total: number, min: number, max: number, r: Prng): number[] {
  const sizes: number[] = [];
  const lo = Math.log(min);
  const hi = Math.log(max + 1);
  let left = total;
  while (left > 0) {
    let s = Math.min(max, Math.floor(Math.exp(lo + r.next() * (hi - lo))));
    if (s >= left) s = left;
    else if (left - s < min) s = left <= max ? left : left - min;
    sizes.push(s);
    left -= s;
  }
  return sizes;
}

/** Mean of a power law with exponent `alpha` bounded to [lo, hi]. */
function boundedParetoMean(alpha: number, lo: number, hi: number): number {
  const la = lo ** alpha;
  const norm = la / (1 - (lo / hi) ** alpha);
  if (Math.abs(alpha - 1) < 1e-9) return norm * Math.log(hi / lo);
  return norm * (alpha / (alpha - 1)) * (lo ** (1 - alpha) - hi ** (1 - alpha));
}

/**
 * `count` event sizes between min and max that sum to exactly `total`, drawn from a
 * bounded power law whose mean is total / count (exponent found by bisection), then
 * scaled and nudged by one attribute at a time to hit the total.
 */
export function powerLawEventSizes(total: number, count: number, min: number, max: number, r: Prng): number[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`events must be a positive integer, got ${String(count)}`);
  if (total < count * min || total > count * max) throw new Error(`${String(total)} attributes do not fit in ${String(count)} events of ${String(min)}–${String(max)}`);
  const mean = total / count;
  let lo = 0.01;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    // The mean falls as the exponent grows.
    if (boundedParetoMean(mid, min, max) > mean) lo = mid;
    else hi = mid;
  }
  const alpha = (lo + hi) / 2;
  const la = min ** alpha;
  const ha = max ** alpha;
  const raw = Array.from({ length: count }, () => {
    const u = r.next();
    return (-(u * ha - u * la - ha) / (ha * la)) ** (-1 / alpha);
  });
  const scale = total / raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((x) => Math.min(max, Math.max(min, Math.round(x * scale))));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  while (left !== 0) {
    const i = r.int(0, count - 1);
    const s = sizes[i] as number;
    if (left > 0 && s < max) {
      const add = Math.min(left, max - s, Math.max(1, Math.round(s * 0.1)));
      sizes[i] = s + add;
      left -= add;
    } else if (left < 0 && s > min) {
      const take = Math.min(-left, s - min, Math.max(1, Math.round(s * 0.1)));
      sizes[i] = s - take;
      left += take;
    }
  }
  return sizes;
}

function buildPool(attributes: number, seed: number): Map<string, string[]> {
  const r = createPrng(deriveSeed(seed, 0x7fff_fff0));
  const pool = new Map<string, string[]>();
  for (const spec of TYPE_MIX) {
    const size = Math.max(HOT_PER_TYPE + 2, Math.round(attributes * POOL_RATIO * typeShare(spec)));
    const values = new Set<string>();
    while (values.size < size) values.add(spec.make(r));
    pool.set(spec.type, [...values]);
  }
  return pool;
}

function eventTags(r: Prng): string[] {
  let x = r.next();
  let tlp = TLP_TAGS[TLP_TAGS.length - 1]?.name ?? 'tlp:white';
  for (const t of TLP_TAGS) {
    x -= t.share;
    if (x < 0) {
      tlp = t.name;
      break;
    }
  }
  const tags = new Set([tlp]);
  const extra = r.int(0, 3);
  while (tags.size < 1 + extra) tags.add(r.pick(CONTEXT_TAGS));
  return [...tags];
}

function sharedValue(r: Prng, values: readonly string[]): string {
  const hot = r.chance(HOT_SHARE);
  return (hot ? values[r.int(0, HOT_PER_TYPE - 1)] : r.pick(values)) ?? '';
}

function attribute(r: Prng, spec: TypeSpec, value: string, shared: boolean): GeneratedAttribute {
  return {
    uuid: uuidFrom(r),
    type: spec.type,
    category: defaultCategory(spec.type) ?? 'Other',
    value,
    to_ids: defaultToIds(spec.type) ?? false,
    comment: r.chance(0.1) ? `seen ${r.pick(['in the wild', 'in sandbox', 'by partner'])}` : '',
    shared,
  };
}

/** Creates the workload for the given options. */
export function createWorkload(options: WorkloadOptions): Workload {
  const opts: Required<WorkloadOptions> = { sharedFraction: 0.1, minEventSize: 10, maxEventSize: 10_000, events: Math.max(1, Math.round(options.attributes / 100)), ...options };
  if (!Number.isSafeInteger(opts.attributes) || opts.attributes < 1) throw new Error(`attributes must be a positive integer, got ${String(opts.attributes)}`);
  const sizeRandom = createPrng(deriveSeed(opts.seed, 0));
  const sizes =
    opts.events === 'log-uniform'
      ? eventSizes(opts.attributes, opts.minEventSize, opts.maxEventSize, sizeRandom)
      : powerLawEventSizes(opts.attributes, opts.events, Math.min(opts.minEventSize, Math.floor(opts.attributes / opts.events)), opts.maxEventSize, sizeRandom);
  const pool = buildPool(opts.attributes, opts.seed);

  function event(index: number): GeneratedEvent {
    const size = sizes[index];
    if (size === undefined) throw new Error(`no event ${index}`);
    const r = createPrng(deriveSeed(opts.seed, index + 1));
    const uuid = uuidFrom(r);
    const day = r.int(0, 6 * 365);
    const date = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const tags = eventTags(r);
    const info = `Benchmark event ${index + 1}: ${theme(r)}`;
    const seen = new Set<string>();
    const attributes: GeneratedAttribute[] = [];
    for (let i = 0; i < size; i++) {
      const spec = pickType(r);
      let shared = r.chance(opts.sharedFraction);
      let value = shared ? sharedValue(r, pool.get(spec.type) ?? []) : spec.make(r);
      // One event never lists the same value twice (MISP would refuse the duplicate):
      // try a few other pooled values, then fall back to a fresh one.
      for (let retry = 0; shared && retry < 8 && seen.has(`${spec.type}\u0000${value}`); retry++) value = sharedValue(r, pool.get(spec.type) ?? []);
      while (seen.has(`${spec.type}\u0000${value}`)) {
        value = spec.make(r);
        shared = false;
      }
      seen.add(`${spec.type}\u0000${value}`);
      attributes.push(attribute(r, spec, value, shared));
    }
    return { index, uuid, info, date, threat_level_id: r.int(1, 4), analysis: r.int(0, 2), tags, attributes };
  }

  return {
    options: opts,
    eventSizes: sizes,
    event,
    *events() {
      for (let i = 0; i < sizes.length; i++) yield event(i);
    },
  };
}

/** The event as MISP JSON for `POST /events/add`, as PyMISP would send it. */
export function toMispEvent(e: GeneratedEvent, options: { disableCorrelation: boolean }): Record<string, unknown> {
  return {
    Event: {
      uuid: e.uuid,
      info: e.info,
      date: e.date,
      threat_level_id: String(e.threat_level_id),
      analysis: String(e.analysis),
      distribution: '1',
      published: false,
      ...(options.disableCorrelation ? { disable_correlation: true } : {}),
      Tag: e.tags.map((name) => ({ name })),
      Attribute: e.attributes.map((a) => ({
        uuid: a.uuid,
        type: a.type,
        category: a.category,
        value: a.value,
        to_ids: a.to_ids,
        comment: a.comment,
        distribution: '5',
      })),
    },
  };
}
