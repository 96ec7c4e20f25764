import { builtinTemplatesDir, loadTemplatesFromDir, type TemplateRegistry } from '@waggle/misp';
import { alreadyAnonymised, anonymisedTag, buildAnonymisationObject, contentDigest, isWaggleAnonymisationObject, withoutOwnMarks } from './anonymisation-object.js';
import type { TechniqueCache } from './apply-action.js';
import { processAttribute } from './attribute-pass.js';
import { cleanAttribute, cleanEvent } from './event-cleanup.js';
import { processEventFields } from './event-fields.js';
import { openKeyRing } from './key-ring.js';
import type { KeyStore } from './key-store.js';
import { objectsOf, tagNames, text, unwrapEvent, type JsonObject, type MispEventJson } from './misp-event-json.js';
import { processObjects } from './object-pass.js';
import type { Policy } from './policy-schema.js';
import type { AnonymisationPreview } from './preview.js';
import { selectRecipient, type RecipientRef } from './recipient.js';
import { emptyCounts, type AnonymisationReport } from './report.js';
import { countAttribute, newRunContext, type RunContext } from './run-context.js';

/** What the anonymiser needs: the key store, the clock, and (optionally) object templates. */
export interface AnonymizerDeps {
  readonly keys: KeyStore;
  readonly now: () => Date;
  /** Templates for "does this object still have its required attributes"; default: those shipped with `@waggle/misp`. */
  readonly templates?: TemplateRegistry;
}

/** An anonymised event (in the shape it came: wrapped in `Event` or bare) and what was done. */
export interface AnonymisationResult {
  readonly event: MispEventJson;
  readonly report: AnonymisationReport;
}

/** The engine: applies a policy's recipient section to MISP events. */
export interface Anonymizer {
  /**
   * Anonymises a copy of `event` for `recipient` (never the input itself).
   * An event that already carries waggle's anonymisation for this policy and
   * recipient comes back unchanged, with `report.alreadyAnonymised`.
   * @throws NotFoundError when no recipient section fits or a key is missing from the store.
   */
  anonymizeEvent(event: MispEventJson, policy: Policy, recipient: RecipientRef): AnonymisationResult;
  /** Dry run: what each value would become and why; nothing is changed. */
  preview(event: MispEventJson, policy: Policy, recipient: RecipientRef): AnonymisationPreview;
}

interface Ran {
  readonly event: JsonObject;
  readonly ctx: RunContext | undefined;
  readonly report: AnonymisationReport;
}

function attributeCount(event: JsonObject): number {
  return objectsOf(event.Attribute).length + objectsOf(event.Object).reduce((n, o) => n + objectsOf(o.Attribute).length, 0);
}

/** Creates the anonymisation engine. Technique instances (Crypto-PAn memos) are kept per key version between events. */
export function createAnonymizer(deps: AnonymizerDeps): Anonymizer {
  let templates = deps.templates;
  const templateRegistry = (): TemplateRegistry => (templates ??= loadTemplatesFromDir(builtinTemplatesDir()));
  const cache: TechniqueCache = { cryptoPans: new Map(), ff1s: new Map() };

  const run = (input: MispEventJson, policy: Policy, ref: RecipientRef, dryRun: boolean): Ran => {
    const recipient = selectRecipient(policy, ref);
    const source = unwrapEvent(input).event;
    const generatedAt = deps.now().toISOString();
    if (alreadyAnonymised(source, policy.name, recipient.name)) {
      const report: AnonymisationReport = { policy: policy.name, recipient: recipient.name, alreadyAnonymised: true, generatedAt, attributes: emptyCounts(), byType: {}, techniques: {}, suppressed: [], objectsRemoved: [], referencesRemoved: 0, dropped: {}, keys: [] };
      return { event: source, ctx: undefined, report };
    }
    const keys = openKeyRing(policy, recipient, deps.keys);
    // structuredClone: the caller's event is never touched, whatever happens below.
    const event = structuredClone(source);
    // An earlier anonymisation for the same policy and recipient whose event
    // was edited since: its marks are replaced, not duplicated.
    withoutOwnMarks(event, policy.name, recipient.name);
    const ctx = newRunContext(policy, recipient, { keys, cache, enumerators: new Map() }, tagNames(event.Tag), dryRun);
    const loose: JsonObject[] = [];
    const removed = new Set<string>();
    for (const attribute of objectsOf(event.Attribute)) {
      const r = processAttribute(ctx, attribute);
      countAttribute(ctx, text(attribute.type), r.fate);
      if (r.attribute === undefined) removed.add(text(attribute.uuid));
      else loose.push(r.attribute);
    }
    if (Array.isArray(event.Attribute)) event.Attribute = loose;
    if (Array.isArray(event.Object)) {
      const objects = processObjects(ctx, objectsOf(event.Object), templateRegistry(), isWaggleAnonymisationObject, removed);
      event.Object = objects.objects;
    }
    processEventFields(ctx, event);
    cleanEvent(ctx, event);
    for (const attribute of [...objectsOf(event.Attribute), ...objectsOf(event.Object).flatMap((o) => (isWaggleAnonymisationObject(o) ? [] : objectsOf(o.Attribute)))]) cleanAttribute(ctx, attribute);
    const report: AnonymisationReport = {
      policy: policy.name,
      recipient: recipient.name,
      alreadyAnonymised: false,
      generatedAt,
      attributes: ctx.attributes,
      byType: ctx.byType,
      techniques: ctx.techniques,
      suppressed: ctx.suppressed,
      objectsRemoved: ctx.objectsRemoved,
      referencesRemoved: ctx.referencesRemoved,
      dropped: ctx.dropped,
      keys: keys.used(),
    };
    const timestamp = text(event.timestamp) !== '' ? text(event.timestamp) : String(Math.floor(deps.now().getTime() / 1000));
    const digest = contentDigest(event);
    event.Object = [...objectsOf(event.Object), buildAnonymisationObject(event, report, templateRegistry(), timestamp, digest)];
    event.Tag = [...objectsOf(event.Tag), { name: anonymisedTag(policy.name, recipient.name), colour: '#5b5b5b', exportable: true, local: 0 }];
    if ('attribute_count' in event) event.attribute_count = String(attributeCount(event));
    return { event, ctx, report };
  };

  return {
    anonymizeEvent(input, policy, ref) {
      const { event, report } = run(input, policy, ref, false);
      const wrapped = unwrapEvent(input).wrapped;
      return { event: wrapped ? { Event: report.alreadyAnonymised ? structuredClone(event) : event } : report.alreadyAnonymised ? structuredClone(event) : event, report };
    },
    preview(input, policy, ref) {
      const { ctx, report } = run(input, policy, ref, true);
      return { entries: ctx?.entries ?? [], report };
    },
  };
}
