import { isLocalTag, objectsOf, text, type JsonObject } from './misp-event-json.js';
import type { RunContext } from './run-context.js';
import { anyTagMatches } from './tag-pattern.js';

function drop(ctx: RunContext, what: string, n: number): void {
  if (n > 0) ctx.dropped[what] = (ctx.dropped[what] ?? 0) + n;
}

/** The `Tag` list without local tags (unless kept) and without tags the recipient's `drop_tags` name. */
export function cleanTags(ctx: RunContext, tags: unknown): unknown {
  if (!Array.isArray(tags)) return tags;
  const keepLocal = ctx.recipient.keep?.local_tags === true;
  const patterns = ctx.recipient.drop_tags ?? [];
  return objectsOf(tags).filter((tag) => {
    if (!keepLocal && isLocalTag(tag)) {
      drop(ctx, 'local tags', 1);
      return false;
    }
    if (patterns.length > 0 && anyTagMatches(patterns, [text(tag.name)])) {
      drop(ctx, 'tags named in drop_tags', 1);
      return false;
    }
    return true;
  });
}

function removeList(ctx: RunContext, holder: JsonObject, key: string, keep: boolean | undefined): void {
  if (keep === true || !(key in holder)) return;
  drop(ctx, key, Array.isArray(holder[key]) ? (holder[key] as unknown[]).length : 1);
  delete holder[key];
}

// What a sighting may keep when organisations must not be named.
const SIGHTING_FIELDS = ['uuid', 'type', 'date_sighting'];

function cleanSightings(ctx: RunContext, holder: JsonObject): void {
  if (!Array.isArray(holder.Sighting) || ctx.recipient.keep?.sightings === true) return;
  const sightings = objectsOf(holder.Sighting);
  drop(ctx, 'Sighting organisation details', sightings.filter((s) => 'Organisation' in s || 'org_id' in s || text(s.source) !== '').length);
  holder.Sighting = sightings.map((s) => Object.fromEntries(SIGHTING_FIELDS.filter((f) => f in s).map((f) => [f, s[f]])));
}

/**
 * An attribute's parts that name other organisations or events: proposals
 * (`ShadowAttribute`), correlations (`RelatedAttribute`), who saw it
 * (`Sighting` organisation and source). Dropped unless the recipient's
 * `keep` section keeps them; tags are cleaned too.
 */
export function cleanAttribute(ctx: RunContext, attribute: JsonObject): void {
  const keep = ctx.recipient.keep ?? {};
  removeList(ctx, attribute, 'ShadowAttribute', keep.shadow_attributes);
  removeList(ctx, attribute, 'RelatedAttribute', keep.related_events);
  cleanSightings(ctx, attribute);
  if ('Tag' in attribute) attribute.Tag = cleanTags(ctx, attribute.Tag);
}

/** The event-level counterpart of {@link cleanAttribute}: related events, feeds, proposals, reports, sightings, tags. */
export function cleanEvent(ctx: RunContext, event: JsonObject): void {
  const keep = ctx.recipient.keep ?? {};
  removeList(ctx, event, 'RelatedEvent', keep.related_events);
  removeList(ctx, event, 'Feed', keep.feeds);
  removeList(ctx, event, 'ShadowAttribute', keep.shadow_attributes);
  removeList(ctx, event, 'EventReport', keep.event_reports);
  cleanSightings(ctx, event);
  if ('Tag' in event) event.Tag = cleanTags(ctx, event.Tag);
}
