import { InputError } from '@waggle/errors';
import { isKnownType } from '@waggle/misp';
import { isJsonObject, type JsonObject } from './misp-json.js';

/** An allow list (`OR`) and a block list (`NOT`), as in MISP's rule widgets. */
export interface OrNotRule {
  readonly OR: readonly string[];
  readonly NOT: readonly string[];
}

/** A block list only: MISP's type filters have no allow list. */
export interface NotRule {
  readonly NOT: readonly string[];
}

/**
 * A server's push or pull rules, the parsed form of MISP's
 * `{"tags":{"OR":[],"NOT":[]},"orgs":{"OR":[],"NOT":[]},"type_attributes":{"NOT":[]},
 * "type_objects":{"NOT":[]},"url_params":"{…}"}`.
 */
export interface SyncRules {
  readonly tags: OrNotRule;
  readonly orgs: OrNotRule;
  /** Attribute types never sent (push) or never kept (pull). */
  readonly typeAttributes: NotRule;
  /** Object template UUIDs (or object names) never sent or kept. */
  readonly typeObjects: NotRule;
  /** Extra `events/index` filters for pull (MISP stores them as a JSON string). */
  readonly urlParams: Readonly<JsonObject>;
}

/** Rules that let everything through. */
export function emptySyncRules(): SyncRules {
  return { tags: { OR: [], NOT: [] }, orgs: { OR: [], NOT: [] }, typeAttributes: { NOT: [] }, typeObjects: { NOT: [] }, urlParams: {} };
}

const TOP_KEYS = new Set(['tags', 'orgs', 'type_attributes', 'type_objects', 'url_params']);

function fail(field: string, message: string): never {
  throw new InputError(`${field}: ${message}`, { field });
}

function parseList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(field, 'must be an array of strings');
  return value.map((item, i) => {
    // MISP push rules hold local tag/org ids as numbers; keep them as strings.
    const text = typeof item === 'number' && Number.isInteger(item) ? String(item) : typeof item === 'string' ? item.trim() : undefined;
    if (text === undefined || text === '') fail(`${field}[${i}]`, 'must be a non-empty string or an integer id');
    return text;
  });
}

function parseOperators(value: unknown, field: string, allowed: readonly ('OR' | 'NOT')[]): Partial<Record<'OR' | 'NOT', string[]>> {
  if (value === undefined || value === null) return {};
  // PHP's json_encode turns an empty associative array into [], so accept it.
  if (Array.isArray(value) && value.length === 0) return {};
  if (!isJsonObject(value)) fail(field, `must be an object with ${allowed.join('/')} lists`);
  const out: Partial<Record<'OR' | 'NOT', string[]>> = {};
  for (const [key, list] of Object.entries(value)) {
    if (!(allowed as readonly string[]).includes(key)) fail(`${field}.${key}`, `unknown operator; allowed: ${allowed.join(', ')}`);
    out[key as 'OR' | 'NOT'] = parseList(list, `${field}.${key}`);
  }
  return out;
}

function parseUrlParams(value: unknown, field: string): JsonObject {
  if (value === undefined || value === null || value === '') return {};
  if (Array.isArray(value) && value.length === 0) return {};
  if (isJsonObject(value)) return value;
  if (typeof value !== 'string') fail(field, 'must be a JSON object or a string holding one');
  let decoded: unknown;
  try {
    decoded = JSON.parse(value);
  } catch {
    fail(field, 'is not valid JSON');
  }
  if (Array.isArray(decoded) && decoded.length === 0) return {};
  if (!isJsonObject(decoded)) fail(field, 'must decode to a JSON object');
  return decoded;
}

/**
 * Parses MISP push/pull rules, given as the JSON text MISP stores in
 * `servers.push_rules`/`pull_rules` or as an already decoded object.
 * Empty input (`""`, `null`, `"[]"`) means no rules. Anything unexpected is
 * refused with an {@link InputError} naming the field, so a typo never
 * silently turns a filter off.
 */
export function parseSyncRules(input: unknown, field = 'rules'): SyncRules {
  let value = input;
  if (typeof value === 'string') {
    if (value.trim() === '') return emptySyncRules();
    try {
      value = JSON.parse(value);
    } catch {
      fail(field, 'is not valid JSON');
    }
  }
  if (value === undefined || value === null) return emptySyncRules();
  if (Array.isArray(value) && value.length === 0) return emptySyncRules();
  if (!isJsonObject(value)) fail(field, 'must be a JSON object');
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) fail(`${field}.${key}`, `unknown rule; allowed: ${[...TOP_KEYS].join(', ')}`);
  }
  const tags = parseOperators(value.tags, `${field}.tags`, ['OR', 'NOT']);
  const orgs = parseOperators(value.orgs, `${field}.orgs`, ['OR', 'NOT']);
  const typeAttributes = parseOperators(value.type_attributes, `${field}.type_attributes`, ['NOT']);
  const typeObjects = parseOperators(value.type_objects, `${field}.type_objects`, ['NOT']);
  // A misspelt type would silently filter nothing, so refuse it.
  (typeAttributes.NOT ?? []).forEach((type, i) => {
    if (!isKnownType(type)) fail(`${field}.type_attributes.NOT[${i}]`, `unknown MISP attribute type "${type}"`);
  });
  return {
    tags: { OR: tags.OR ?? [], NOT: tags.NOT ?? [] },
    orgs: { OR: orgs.OR ?? [], NOT: orgs.NOT ?? [] },
    typeAttributes: { NOT: typeAttributes.NOT ?? [] },
    typeObjects: { NOT: typeObjects.NOT ?? [] },
    urlParams: parseUrlParams(value.url_params, `${field}.url_params`),
  };
}

/** The MISP JSON form of parsed rules (what MISP stores and shows). */
export function serializeSyncRules(rules: SyncRules): string {
  return JSON.stringify({
    tags: rules.tags,
    orgs: rules.orgs,
    type_attributes: rules.typeAttributes,
    type_objects: rules.typeObjects,
    url_params: Object.keys(rules.urlParams).length === 0 ? '' : JSON.stringify(rules.urlParams),
  });
}
