import { WAGGLE_STIX_NAMESPACE, parseStixId, uuidV5 } from '../common/ids.js';
import type { StixObject } from '../common/stix-types.js';
import type { Comparison } from '../mapping/comparison.js';
import { isJsonObject } from '../export/read-fields.js';
import { decodeAll, decodeAs, dropSpentRefTypes, type DecodedValue } from './decode-values.js';
import { attributeDraft, objectTime, readLabels, seenTime, text, type Converted } from './drafts.js';
import { objectDraft } from './object-records.js';
import { observablesToComparisons } from './observables-to-comparisons.js';
import { PatternSyntaxError } from './pattern-lexer.js';
import { parsePattern, patternAlternatives } from './pattern-parser.js';
import type { StixImportWarning } from './warnings.js';

const PATTERN_LANGUAGES = new Set(['yara', 'sigma', 'snort', 'suricata']);

/** Decodes a pool, preferring the labelled type; the pool keeps what nothing explains. */
function decodeWithLabel(pool: Comparison[], labelType: string | undefined): DecodedValue[] {
  const first = labelType === undefined ? undefined : decodeAs(labelType, pool);
  const decoded = [...(first !== undefined && labelType !== undefined ? [{ type: labelType, value: first }] : []), ...decodeAll(pool)];
  dropSpentRefTypes(pool);
  return decoded;
}

interface AttributeContext {
  readonly source: StixObject;
  readonly uuid: string;
  readonly toIds: boolean;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
}

function attributes(ctx: AttributeContext, values: readonly DecodedValue[]): Converted {
  const { meta, tags } = readLabels(ctx.source);
  return {
    kind: 'attributes',
    attributes: values.map((v, i) => attributeDraft({
      // The first attribute keeps the STIX uuid; others derive theirs from it, so re-import is idempotent.
      uuid: i === 0 ? ctx.uuid : uuidV5(WAGGLE_STIX_NAMESPACE, `${ctx.uuid}|${i}`),
      type: v.type,
      value: v.value,
      category: meta.get('category'),
      toIds: ctx.toIds,
      comment: text(ctx.source, 'description'),
      time: objectTime(ctx.source),
      firstSeen: ctx.firstSeen,
      lastSeen: ctx.lastSeen,
      tags,
    })),
  };
}

function verbatim(ctx: AttributeContext, pattern: string, reason: string, warnings: StixImportWarning[]): Converted {
  warnings.push({ code: 'pattern_kept_verbatim', objectId: ctx.source.id, message: `${reason}; the pattern is kept as a stix2-pattern attribute` });
  return attributes(ctx, [{ type: 'stix2-pattern', value: pattern }]);
}

function indicatorToMisp(source: StixObject, uuid: string, warnings: StixImportWarning[]): Converted | undefined {
  const pattern = text(source, 'pattern');
  if (pattern === undefined) {
    warnings.push({ code: 'invalid_object', objectId: source.id, message: `indicator ${source.id} has no pattern; it was left out` });
    return undefined;
  }
  const { meta } = readLabels(source);
  const ctx: AttributeContext = {
    source, uuid, toIds: meta.get('to_ids') !== 'False',
    firstSeen: seenTime(source.valid_from, source.created), lastSeen: seenTime(source.valid_until, source.valid_from),
  };
  const labelType = meta.get('type');
  const patternType = text(source, 'pattern_type') ?? 'stix';
  if (patternType !== 'stix') {
    if (PATTERN_LANGUAGES.has(patternType)) return attributes(ctx, [{ type: patternType, value: pattern }]);
    warnings.push({ code: 'pattern_kept_verbatim', objectId: source.id, message: `pattern_type "${patternType}" has no MISP type; kept as an "other" attribute` });
    return attributes(ctx, [{ type: 'other', value: pattern }]);
  }
  if (labelType === 'stix2-pattern') return attributes(ctx, [{ type: labelType, value: pattern }]);
  let alternatives: Comparison[][] | undefined;
  try {
    alternatives = patternAlternatives(parsePattern(pattern));
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    return verbatim(ctx, pattern, `the pattern of ${source.id} is not valid STIX (${error.message})`, warnings);
  }
  if (alternatives === undefined) return verbatim(ctx, pattern, `the pattern of ${source.id} uses operators or qualifiers MISP attributes cannot express`, warnings);
  if (meta.has('name')) {
    if (alternatives.length !== 1) return verbatim(ctx, pattern, `the object pattern of ${source.id} has alternatives`, warnings);
    return { kind: 'object', object: objectDraft(source, uuid, objectTime(source), [...(alternatives[0] as Comparison[])], warnings) };
  }
  const values: DecodedValue[] = [];
  for (const alternative of alternatives) {
    const pool = [...alternative];
    const decoded = decodeWithLabel(pool, labelType);
    if (pool.length > 0 || decoded.length === 0) return verbatim(ctx, pattern, `part of the pattern of ${source.id} has no MISP type`, warnings);
    values.push(...decoded);
  }
  return attributes(ctx, values);
}

function observables(source: StixObject, index: ReadonlyMap<string, StixObject>, warnings: StixImportWarning[]): StixObject[] {
  if (isJsonObject(source.objects)) {
    // STIX 2.0 style: observables embedded under local keys, referring to each other by those keys.
    return Object.entries(source.objects).filter((e): e is [string, Record<string, unknown> & { type: string }] => isJsonObject(e[1]) && typeof e[1].type === 'string')
      .map(([key, o]) => ({ ...o, id: key }));
  }
  const refs = Array.isArray(source.object_refs) ? source.object_refs.filter((r): r is string => typeof r === 'string') : [];
  return refs.flatMap((ref) => {
    const found = index.get(ref);
    if (found === undefined) warnings.push({ code: 'missing_reference', objectId: source.id, message: `${source.id} refers to ${ref}, which is not in the bundle` });
    return found === undefined ? [] : [found];
  });
}

function observedToMisp(source: StixObject, uuid: string, index: ReadonlyMap<string, StixObject>, warnings: StixImportWarning[]): Converted | undefined {
  const pool = observablesToComparisons(observables(source, index, warnings));
  const { meta } = readLabels(source);
  if (meta.has('name')) return { kind: 'object', object: objectDraft(source, uuid, objectTime(source), pool, warnings) };
  const decoded = decodeWithLabel(pool, meta.get('type'));
  if (pool.length > 0) {
    const lost = pool.map((c) => `${c.object}:${c.path.join('.')}`).join(', ');
    warnings.push({ code: 'unmapped_observable', objectId: source.id, message: `${source.id}: no MISP type for ${lost}` });
  }
  if (decoded.length === 0) return undefined;
  return attributes({
    source, uuid, toIds: false, firstSeen: seenTime(source.first_observed, source.created), lastSeen: seenTime(source.last_observed, source.first_observed),
  }, decoded);
}

function customAttributeToMisp(source: StixObject, uuid: string, warnings: StixImportWarning[]): Converted | undefined {
  const type = text(source, 'x_misp_type');
  const value = text(source, 'x_misp_value');
  if (type === undefined || value === undefined) {
    warnings.push({ code: 'invalid_object', objectId: source.id, message: `${source.id} lacks x_misp_type or x_misp_value; it was left out` });
    return undefined;
  }
  const { tags } = readLabels(source);
  return {
    kind: 'attributes',
    attributes: [attributeDraft({
      uuid, type, value, category: text(source, 'x_misp_category'), toIds: source.x_misp_to_ids === true,
      comment: text(source, 'x_misp_comment') ?? text(source, 'description'), time: objectTime(source),
      firstSeen: text(source, 'x_misp_first_seen'), lastSeen: text(source, 'x_misp_last_seen'), tags,
    })],
  };
}

function namedToMisp(source: StixObject, uuid: string, type: 'vulnerability' | 'campaign-name'): Converted | undefined {
  const name = text(source, 'name');
  if (name === undefined) return undefined;
  const { meta, tags } = readLabels(source);
  return {
    kind: 'attributes',
    attributes: [attributeDraft({
      uuid, type, value: name, category: meta.get('category'), toIds: source.x_misp_to_ids === true,
      comment: text(source, 'description'), time: objectTime(source), tags,
    })],
  };
}

/** STIX types that become attributes or objects. */
export const CONTENT_TYPES: ReadonlySet<string> = new Set(['indicator', 'observed-data', 'x-misp-attribute', 'x-misp-object', 'vulnerability', 'campaign']);

/**
 * One content object as MISP attributes or a MISP object; undefined (with a
 * warning) when nothing usable is in it.
 */
export function contentToMisp(source: StixObject, index: ReadonlyMap<string, StixObject>, warnings: StixImportWarning[]): Converted | undefined {
  const uuid = parseStixId(source.id)?.uuid as string;
  switch (source.type) {
    case 'indicator':
      return indicatorToMisp(source, uuid, warnings);
    case 'observed-data':
      return observedToMisp(source, uuid, index, warnings);
    case 'x-misp-attribute':
      return customAttributeToMisp(source, uuid, warnings);
    case 'x-misp-object':
      return { kind: 'object', object: objectDraft(source, uuid, objectTime(source), [], warnings) };
    case 'vulnerability':
      return namedToMisp(source, uuid, 'vulnerability');
    case 'campaign':
      return namedToMisp(source, uuid, 'campaign-name');
    default:
      return undefined;
  }
}
