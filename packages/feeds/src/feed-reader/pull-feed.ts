import { InputError, WaggleError, isWaggleError } from '@waggle/errors';
import type { FeedManifest, ManifestEntry } from '../shared/feed-manifest.js';
import { fetchFeedEvent, type FeedEvent } from './fetch-feed-event.js';
import type { FeedSource } from './feed-source.js';
import { planFeedUpdate, type FeedUpdatePlan } from './plan-feed-update.js';
import { readManifest } from './read-manifest.js';

/** One event of a pull: its checked content, or why it could not be had. */
export type PulledFeedEvent =
  | { readonly uuid: string; readonly entry: ManifestEntry; readonly event: FeedEvent }
  | { readonly uuid: string; readonly entry: ManifestEntry; readonly error: WaggleError };

/** Options of {@link pullFeed}. */
export interface PullFeedOptions {
  /** Event files fetched at the same time (1 to 64, default 4). */
  readonly concurrency?: number;
  /** A manifest already read (otherwise it is read from the source). */
  readonly manifest?: FeedManifest;
  /** Told the plan before the first event, so the caller can handle `gone` and `unchanged`. */
  readonly onPlan?: (plan: FeedUpdatePlan) => void;
}

/**
 * Pulls the events of a MISP feed that are new or changed compared with
 * `known` (uuid → stored timestamp), yielding each in manifest order as
 * `{uuid, entry, event}` or `{uuid, entry, error}`: one broken or missing file
 * does not stop the others. Nothing is recorded here; the caller saves what it
 * stored and passes it as `known` next time, which makes an interrupted pull
 * resumable. A broken manifest fails the whole pull (InputError) before any
 * event is yielded.
 */
export async function* pullFeed(
  source: FeedSource,
  known: ReadonlyMap<string, number>,
  options: PullFeedOptions = {},
): AsyncGenerator<PulledFeedEvent> {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InputError(`concurrency must be a whole number from 1 to 64, got ${concurrency}.`, { field: 'concurrency' });
  }
  const manifest = options.manifest ?? (await readManifest(source));
  const plan = planFeedUpdate(manifest, known);
  options.onPlan?.(plan);

  // Never rejects, so a result waiting in the window cannot become an unhandled rejection.
  const fetchOne = async (uuid: string): Promise<PulledFeedEvent> => {
    const entry = manifest.get(uuid) as ManifestEntry;
    try {
      return { uuid, entry, event: await fetchFeedEvent(source, uuid) };
    } catch (error) {
      const wrapped = isWaggleError(error) ? error : new WaggleError('internal', `${source.describe(`${uuid}.json`)}: ${String(error)}`, { cause: error });
      return { uuid, entry, error: wrapped };
    }
  };
  const window: Promise<PulledFeedEvent>[] = [];
  let next = 0;
  const refill = (): void => {
    while (window.length < concurrency && next < plan.fetch.length) window.push(fetchOne(plan.fetch[next++] as string));
  };
  refill();
  while (window.length > 0) {
    const item = await (window.shift() as Promise<PulledFeedEvent>);
    refill();
    yield item;
  }
}
