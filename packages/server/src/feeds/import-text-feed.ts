import { NotFoundError } from '@waggle/errors';
import { attributeValue, type AttributeInput, type Distribution, type EventInput, type Principal, type TagInput } from '@waggle/core';
import type { FeedRecord } from '@waggle/store';
import { feedTag, problemOf, type FeedContext, type ReportDraft } from './feed-context.js';
import { readSettings } from './feed-settings.js';
import { readTextFeedValues, type TextFeedValue } from './text-feed-values.js';

const attributeInput = (v: TextFeedValue): AttributeInput => ({
  type: v.type, category: v.category, value: v.value, to_ids: v.to_ids, comment: v.comment, distribution: 5, sharing_group_id: 0, tags: [],
});

/**
 * Fetches a CSV or freetext feed into one event, with MISP's semantics
 * (`Feed::saveFreetextFeedData`): without `fixed_event` every fetch that finds
 * values creates a new event "<feed name> feed"; with `fixed_event` the values
 * go into the feed's event (created on the first fetch and remembered in
 * `event_id`), only values the event does not hold yet are added, and with
 * `delta_merge` attributes whose value left the feed are soft-deleted. All
 * changes of one fetch are one transaction (an event add or edit).
 */
export async function importTextFeed(
  ctx: FeedContext,
  feed: FeedRecord,
  p: Principal,
  report: ReportDraft,
  rememberEvent: (eventId: number) => Promise<void>,
): Promise<void> {
  let read;
  try {
    read = await readTextFeedValues(ctx, feed);
  } catch (error) {
    report.errors.push(problemOf(error));
    return;
  }
  report.rejectedRows = read.rejectedRows;
  const settings = readSettings(feed.settings);
  const tag = await feedTag(feed, ctx);
  const tags: TagInput[] = tag === undefined ? [] : [{ name: tag.name, colour: tag.colour }];
  const publish = settings.publish === true;

  if (feed.fixed_event && feed.event_id !== 0) {
    const eventId = feed.event_id;
    const event = await ctx.store.read((repos) => repos.getEvent(eventId));
    if (event === undefined) {
      report.errors.push(problemOf(new NotFoundError(`The target event ${eventId} of feed "${feed.name}" no longer exists; set another event_id or 0 to create one.`)));
      return;
    }
    report.eventId = eventId;
    const current = await ctx.store.read((repos) => repos.listAttributesOfEvents([eventId], { includeDeleted: false }));
    const held = new Set(current.map((a) => attributeValue(a)));
    const wanted = new Set(read.values.map((v) => v.value));
    const fresh = read.values.filter((v) => !held.has(v.value));
    const stale = feed.delta_merge ? current.filter((a) => !wanted.has(attributeValue(a))) : [];
    if (fresh.length === 0 && stale.length === 0) {
      report.unchanged++;
      return;
    }
    const removals: AttributeInput[] = stale.map((a) => ({ uuid: a.uuid, type: a.type, category: a.category, value: attributeValue(a), deleted: true, tags: [] }));
    const input: EventInput = { attributes: [...fresh.map(attributeInput), ...removals], objects: [], tags, ...(publish ? { published: true } : {}) };
    try {
      await ctx.events.edit(p, eventId, input, { metadata: true });
    } catch (error) {
      report.errors.push(problemOf(error));
      return;
    }
    report.updated++;
    report.attributesAdded += fresh.length;
    report.attributesRemoved += stale.length;
    return;
  }

  // MISP creates the event before looking at the values; an empty fetch makes no empty event here.
  if (read.values.length === 0) {
    report.unchanged++;
    return;
  }
  const input: EventInput = {
    info: `${feed.name} feed`,
    analysis: 2,
    threat_level_id: 4,
    distribution: (feed.distribution === 5 ? 0 : feed.distribution) as Distribution,
    sharing_group_id: feed.distribution === 4 ? feed.sharing_group_id : 0,
    disable_correlation: settings.disable_correlation === true,
    published: publish,
    attributes: read.values.map(attributeInput),
    objects: [],
    tags,
  };
  let created;
  try {
    created = await ctx.events.add(p, input, { metadata: true });
  } catch (error) {
    report.errors.push(problemOf(error));
    return;
  }
  const eventId = Number(created.id);
  report.eventId = eventId;
  report.added++;
  report.attributesAdded += read.values.length;
  if (feed.fixed_event) await rememberEvent(eventId);
}
