/**
 * Source reputation as a beta reputation system (Jøsang and Ismail, "The Beta Reputation
 * System", 2002): feedback about an organisation's intelligence is counted as positive and
 * negative evidence, each piece weighted down as it ages, and the reputation is the expected
 * value of Beta(positive + 1, negative + 1), with the uncertainty that little evidence leaves.
 * Pure functions: the evidence is gathered elsewhere.
 */

/** What a piece of feedback says about the source's information. */
export type FeedbackKind = 'seen' | 'false-positive' | 'opinion';

/** One piece of feedback by one organisation (`reporter`) on one element of the source's. */
export interface Feedback {
  /** The organisation whose information is judged (the creator organisation of the event). */
  readonly source: number;
  /** Who gave the feedback; feedback of the source on its own information is not evidence. */
  readonly reporter: number;
  /** The element judged (an attribute, object or event), so that repeated feedback counts once. */
  readonly target: string;
  readonly kind: FeedbackKind;
  /** How favourable, 0 to 1: 1 for a sighting, 0 for a false positive, opinion / 100. */
  readonly favourable: number;
  /** When it was given (Unix seconds). */
  readonly at: number;
}

/** The reputation of one source. */
export interface Reputation {
  readonly source: number;
  /** Expected value of the beta distribution, 0 to 1; 0.5 without evidence. */
  readonly score: number;
  /** 0 to 1: 1 without evidence, falling as evidence accumulates. */
  readonly uncertainty: number;
  /** Decayed evidence for and against. */
  readonly positive: number;
  readonly negative: number;
  /** Counts of the feedback that was kept (latest per reporter, element and kind of feedback). */
  readonly seen: number;
  readonly falsePositives: number;
  readonly opinions: number;
  /** Organisations that gave feedback. */
  readonly reporters: number;
  /** The latest feedback kept (Unix seconds), 0 without any. */
  readonly lastFeedback: number;
}

/** Options of {@link reputations}. */
export interface ReputationOptions {
  /** Now, Unix seconds. */
  readonly now: number;
  /** Feedback loses half its weight after this many seconds (default 180 days); 0 or less: no ageing. */
  readonly halfLifeSeconds?: number;
}

export const DEFAULT_HALF_LIFE_SECONDS = 180 * 86_400;

/** The weight of feedback `age` seconds old. Feedback from the future counts fully. */
export function ageWeight(age: number, halfLifeSeconds: number): number {
  if (halfLifeSeconds <= 0 || age <= 0) return 1;
  return 0.5 ** (age / halfLifeSeconds);
}

/** Expected value and uncertainty of Beta(positive + 1, negative + 1). */
export function betaScore(positive: number, negative: number): { score: number; uncertainty: number } {
  const total = positive + negative + 2;
  return { score: (positive + 1) / total, uncertainty: 2 / total };
}

/** A sighting counts as seen or as a false positive, an opinion by itself: one of each per reporter and element. */
function group(f: Feedback): string {
  return `${String(f.source)}/${String(f.reporter)}/${f.target}/${f.kind === 'opinion' ? 'opinion' : 'sighting'}`;
}

/**
 * The reputation of every source in `feedback`, and of `sources` without any (score 0.5,
 * uncertainty 1). Only the latest feedback of a reporter on an element (per kind: sighting or
 * opinion) counts, so repeating a sighting does not inflate a score; a source's own feedback
 * is ignored. Sorted by score, then by the amount of evidence.
 */
export function reputations(feedback: readonly Feedback[], options: ReputationOptions, sources: readonly number[] = []): Reputation[] {
  const halfLife = options.halfLifeSeconds ?? DEFAULT_HALF_LIFE_SECONDS;
  const latest = new Map<string, Feedback>();
  for (const f of feedback) {
    if (f.reporter === f.source || !Number.isFinite(f.favourable)) continue;
    const key = group(f);
    const kept = latest.get(key);
    if (kept === undefined || f.at > kept.at) latest.set(key, f);
  }
  const acc = new Map<number, { positive: number; negative: number; seen: number; falsePositives: number; opinions: number; reporters: Set<number>; last: number }>();
  const of = (source: number) => {
    let a = acc.get(source);
    if (a === undefined) {
      a = { positive: 0, negative: 0, seen: 0, falsePositives: 0, opinions: 0, reporters: new Set(), last: 0 };
      acc.set(source, a);
    }
    return a;
  };
  for (const s of sources) of(s);
  for (const f of latest.values()) {
    const a = of(f.source);
    const w = ageWeight(options.now - f.at, halfLife);
    const favourable = Math.min(1, Math.max(0, f.favourable));
    a.positive += w * favourable;
    a.negative += w * (1 - favourable);
    if (f.kind === 'seen') a.seen++;
    else if (f.kind === 'false-positive') a.falsePositives++;
    else a.opinions++;
    a.reporters.add(f.reporter);
    a.last = Math.max(a.last, f.at);
  }
  const out: Reputation[] = [...acc.entries()].map(([source, a]) => ({
    source,
    ...betaScore(a.positive, a.negative),
    positive: a.positive,
    negative: a.negative,
    seen: a.seen,
    falsePositives: a.falsePositives,
    opinions: a.opinions,
    reporters: a.reporters.size,
    lastFeedback: a.last,
  }));
  return out.sort((x, y) => y.score - x.score || (y.positive + y.negative) - (x.positive + x.negative) || x.source - y.source);
}
