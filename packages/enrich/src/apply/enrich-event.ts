import { InputError } from '@waggle/errors';
import type { EventApi } from '../correlation/event-api.js';
import type { Enrichment } from '../module.js';
import type { ModuleRegistry } from '../registry.js';
import { attributesToEnrich, planAdditions, type EventAttribute } from './plan-additions.js';

/** Deps of {@link enrichEvent}. */
export interface EnrichEventDeps {
  readonly api: EventApi;
  readonly registry: ModuleRegistry;
  /** Module names to run (default: every module of the registry). */
  readonly modules?: readonly string[];
  /** Attributes (by uuid) already enriched by this process; they are skipped and new ones are added. */
  readonly seen?: Set<string>;
}

/** What enriching one event did. */
export interface EnrichEventReport {
  readonly eventId: string;
  readonly eventUuid: string;
  readonly checked: number;
  readonly added: { readonly attributes: number; readonly objects: number; readonly tags: number };
  /** Attributes a module could not handle (malformed value, source down), one line each. */
  readonly problems: readonly string[];
}

/**
 * Enriches every attribute of an event with the registry's modules and writes
 * what is missing back through the API (attributes, objects, tags on the
 * enriched attribute). Idempotent: a second run adds nothing.
 */
export async function enrichEvent(deps: EnrichEventDeps, eventId: string): Promise<EnrichEventReport> {
  if (!/^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.test(eventId)) throw new InputError(`event id must be a number or a UUID, got "${eventId}"`, { field: 'event' });
  const event = await deps.api.getEvent(eventId);
  const names = deps.modules ?? deps.registry.list().map((m) => m.name);
  const problems: string[] = [];
  const found: { attribute: EventAttribute; enrichment: Enrichment }[] = [];
  const done: string[] = [];
  let checked = 0;
  for (const attribute of attributesToEnrich(event)) {
    const seenKey = `${attribute.uuid}\u0000${attribute.value}`;
    if (deps.seen?.has(seenKey) === true) continue;
    const applicable = names.filter((n) => deps.registry.get(n).inputTypes.includes(attribute.type));
    if (applicable.length === 0) continue;
    checked++;
    try {
      const result = await deps.registry.enrich(attribute, { eventUuid: event.uuid }, applicable);
      found.push({ attribute, enrichment: result.merged });
      for (const o of result.outcomes) if (!o.ok) problems.push(`${attribute.type} ${attribute.value}: ${o.module}: ${o.error}`);
      if (result.outcomes.every((o) => o.ok || !o.retryable)) done.push(seenKey);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(`${attribute.type} ${attribute.value}: ${e.message}`);
      done.push(seenKey);
    }
  }
  const plan = planAdditions(event, found);
  for (const a of plan.attributes) await deps.api.addAttribute(event.id, a);
  for (const o of plan.objects) await deps.api.addObject(event.id, o);
  for (const t of plan.tags) await deps.api.attachTag(t.uuid, t.tag);
  // Only once everything is written, so a failed write is tried again next time.
  for (const key of done) deps.seen?.add(key);
  return { eventId: event.id, eventUuid: event.uuid, checked, added: { attributes: plan.attributes.length, objects: plan.objects.length, tags: plan.tags.length }, problems };
}
