import { parseEvent, type Principal, type TagRecord } from '@waggle/core';
import { pullFeed, type FeedEvent } from '@waggle/feeds';
import type { FeedRecord } from '@waggle/store';
import { feedSource, feedTag, problemOf, type FeedContext, type ReportDraft } from './feed-context.js';
import { readSettings } from './feed-settings.js';

type Json = Record<string, unknown>;

/**
 * A feed event made ready to save, as MISP's `Feed::__prepareEvent` does: the
 * feed's distribution and sharing group replace the event's (distribution 5
 * keeps the event's own, or "your organisation only" when it has none, which
 * is the case for every feed written by PyMISP or waggle), attributes and
 * objects inherit (5), the feed's tag is added once, and the feed's
 * `disable_correlation` / `unpublish_event` settings apply.
 */
export function prepareFeedEvent(event: FeedEvent, feed: FeedRecord, tag: TagRecord | undefined, sharingGroupExists: boolean): Json {
  const body: Json = { ...event.Event };
  if (!(feed.distribution === 5 && body.distribution !== undefined)) {
    const privateFallback = feed.distribution === 5 || (feed.distribution === 4 && !sharingGroupExists);
    body.distribution = privateFallback ? 0 : feed.distribution;
    body.sharing_group_id = privateFallback ? 0 : feed.sharing_group_id;
    const inherit = (a: Json): Json => ({ ...a, distribution: 5, sharing_group_id: 0 });
    body.Attribute = event.Event.Attribute.map((a) => inherit(a));
    body.Object = event.Event.Object.map((o) => ({ ...inherit(o), Attribute: o.Attribute.map((a) => inherit(a)) }));
  }
  if (tag !== undefined && !event.Event.Tag.some((t) => t.name.toLowerCase() === tag.name.toLowerCase())) {
    body.Tag = [...event.Event.Tag, { name: tag.name, colour: tag.colour }];
  }
  const settings = readSettings(feed.settings);
  if (settings.disable_correlation === true) body.disable_correlation = true;
  if (settings.unpublish_event === true) body.published = false;
  return { Event: body };
}

/**
 * Fetches a MISP feed into the store. Only events that are new or newer than
 * the version this feed imported last are downloaded; each is saved in its own
 * transaction through the event service (created, or merged by UUID when it
 * exists), and only then recorded as imported, so an interrupted fetch resumes
 * where it stopped and no event is half-imported. An event that exists locally
 * but came from elsewhere is only updated when the feed's copy is newer
 * (MISP's rule). Events gone from the manifest are forgotten, not deleted.
 * A broken event file is reported and the others are still imported; a broken
 * or unreachable manifest fails the fetch as a whole (reported, not thrown).
 */
export async function importMispFeed(ctx: FeedContext, feed: FeedRecord, p: Principal, report: ReportDraft): Promise<void> {
  const known = await ctx.feedStore.importedEvents(feed.id);
  const tag = await feedTag(feed, ctx);
  const sgExists = feed.distribution !== 4 || (await ctx.store.read((repos) => repos.getSharingGroup(feed.sharing_group_id))) !== undefined;
  let gone: readonly string[] = [];
  try {
    const pulled = pullFeed(feedSource(feed, ctx), known, {
      concurrency: ctx.limits.concurrency,
      onPlan: (plan) => {
        gone = plan.gone;
        report.unchanged += plan.unchanged.length;
      },
    });
    for await (const item of pulled) {
      if ('error' in item) {
        report.errors.push(problemOf(item.error, item.uuid));
        continue;
      }
      try {
        await saveEvent(ctx, feed, p, item.event, known.has(item.uuid), tag, sgExists, report);
        await ctx.feedStore.recordImportedEvent(feed.id, item.uuid, item.event.Event.timestamp);
      } catch (error) {
        report.errors.push(problemOf(error, item.uuid));
      }
    }
  } catch (error) {
    report.errors.push(problemOf(error));
    return;
  }
  if (gone.length > 0) {
    await ctx.feedStore.forgetImportedEvents(feed.id, gone);
    report.forgotten += gone.length;
  }
}

async function saveEvent(ctx: FeedContext, feed: FeedRecord, p: Principal, event: FeedEvent, importedBefore: boolean, tag: TagRecord | undefined, sgExists: boolean, report: ReportDraft): Promise<void> {
  const input = parseEvent(prepareFeedEvent(event, feed, tag, sgExists));
  const uuid = event.Event.uuid;
  const local = await ctx.store.read((repos) => repos.getEvent(uuid));
  if (local === undefined) {
    await ctx.events.add(p, input, { metadata: true });
    report.added++;
  } else if (importedBefore || local.timestamp < event.Event.timestamp) {
    await ctx.events.edit(p, local.id, input, { metadata: true });
    report.updated++;
  } else {
    report.unchanged++;
  }
}
