import { FieldReader, isObject, type JsonObject } from '../files/json-fields.js';
import type { Taxonomy, TaxonomyEntry, TaxonomyPredicate } from './taxonomy.js';

/** A valid taxonomy (with non-fatal remarks), or every problem found. */
export type ParseTaxonomyResult =
  | { readonly ok: true; readonly taxonomy: Taxonomy; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const TOP_KEYS = new Set(['namespace', 'description', 'version', 'expanded', 'uuid', 'exclusive', 'refs', 'type', 'predicates', 'values']);
const TAXONOMY_TYPES = new Set(['org', 'user', 'attribute', 'event']);
// Characters that would make the machine tag unparseable by MISP's tag regex.
const TAG_BREAKERS = /[:="]/;

/**
 * Validates a machinetag.json document (the misp-taxonomies schema) and folds
 * `values[].entry` into their predicates, as MISP does on import. Structural
 * problems (missing namespace/description/version/predicates, wrong types, a
 * `values` block naming an undeclared predicate) make the taxonomy invalid;
 * unknown keys and duplicate values are only warnings (first one kept).
 */
export function parseTaxonomy(json: unknown): ParseTaxonomyResult {
  if (!isObject(json)) return { ok: false, problems: ['a taxonomy must be a JSON object'] };
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = new FieldReader(problems, '');
  const namespace = read.text(json, 'namespace');
  if (namespace !== undefined && TAG_BREAKERS.test(namespace)) problems.push(`'namespace' must not contain ':', '=' or '"' (got "${namespace}")`);
  const description = read.text(json, 'description');
  const version = read.integer(json, 'version');
  const expanded = read.optionalText(json, 'expanded');
  const uuid = read.optionalText(json, 'uuid');
  const exclusive = read.optionalBoolean(json, 'exclusive') ?? false;
  const refs = read.optionalStrings(json, 'refs') ?? [];
  const type = read.optionalStrings(json, 'type');
  for (const t of type ?? []) if (!TAXONOMY_TYPES.has(t)) problems.push(`'type' may only hold org, user, attribute, event (got "${t}")`);
  for (const key of Object.keys(json)) if (!TOP_KEYS.has(key)) warnings.push(`unknown field '${key}' ignored`);

  const predicates = readPredicates(json, read, problems, warnings);
  if (predicates !== undefined) addValues(json, read, predicates, problems, warnings);
  if (problems.length > 0 || namespace === undefined || description === undefined || version === undefined || predicates === undefined) {
    return { ok: false, problems };
  }
  const taxonomy: Taxonomy = {
    namespace,
    description,
    version,
    exclusive,
    refs,
    predicates: [...predicates.values()].map((p) => ({ ...p.predicate, entries: p.entries })),
    ...(expanded === undefined ? {} : { expanded }),
    ...(uuid === undefined ? {} : { uuid }),
    ...(type === undefined ? {} : { type }),
  };
  return { ok: true, taxonomy, warnings };
}

interface PredicateDraft {
  readonly predicate: Omit<TaxonomyPredicate, 'entries'>;
  readonly entries: TaxonomyEntry[];
  readonly seen: Set<string>;
}

function readPredicates(json: JsonObject, read: FieldReader, problems: string[], warnings: string[]): Map<string, PredicateDraft> | undefined {
  const items = read.objects(json, 'predicates', true);
  if (items === undefined) return undefined;
  if (items.length === 0 && Array.isArray(json.predicates) && json.predicates.length === 0) problems.push(`'predicates' must not be empty`);
  const out = new Map<string, PredicateDraft>();
  for (const { item, reader } of items) {
    const value = reader.text(item, 'value');
    const common = readCommon(item, reader);
    const exclusive = reader.optionalBoolean(item, 'exclusive') ?? false;
    if (value === undefined) continue;
    if (value.includes('"') || value.includes('=')) problems.push(`predicate "${value}" must not contain '=' or '"'`);
    if (out.has(value)) {
      warnings.push(`duplicate predicate "${value}" ignored`);
      continue;
    }
    out.set(value, { predicate: { value, exclusive, ...common }, entries: [], seen: new Set() });
  }
  return out;
}

function addValues(json: JsonObject, read: FieldReader, predicates: Map<string, PredicateDraft>, problems: string[], warnings: string[]): void {
  for (const { item, reader } of read.objects(json, 'values', false) ?? []) {
    const name = reader.text(item, 'predicate');
    const entries = reader.objects(item, 'entry', true) ?? [];
    if (name === undefined) continue;
    const draft = predicates.get(name);
    if (draft === undefined) {
      problems.push(`'values' refers to predicate "${name}" which is not declared in 'predicates'`);
      continue;
    }
    for (const { item: entryJson, reader: entryReader } of entries) {
      const value = entryReader.text(entryJson, 'value');
      const common = readCommon(entryJson, entryReader);
      if (value === undefined) continue;
      if (value.includes('"')) problems.push(`value "${value}" of predicate "${name}" must not contain '"'`);
      if (draft.seen.has(value)) {
        warnings.push(`duplicate value "${value}" of predicate "${name}" ignored`);
        continue;
      }
      draft.seen.add(value);
      draft.entries.push({ value, ...common });
    }
  }
}

function readCommon(item: JsonObject, reader: FieldReader): Omit<TaxonomyEntry, 'value'> {
  const expanded = reader.optionalText(item, 'expanded');
  const description = reader.optionalText(item, 'description');
  const colour = reader.optionalText(item, 'colour');
  const numerical = reader.optionalNumber(item, 'numerical_value');
  const uuid = reader.optionalText(item, 'uuid');
  return {
    ...(expanded === undefined ? {} : { expanded }),
    ...(description === undefined ? {} : { description }),
    ...(colour === undefined ? {} : { colour }),
    ...(numerical === undefined ? {} : { numerical_value: numerical }),
    ...(uuid === undefined ? {} : { uuid }),
  };
}
