import { FieldReader, isObject } from '../files/json-fields.js';
import type { Warninglist, WarninglistCategory, WarninglistType } from './warninglist.js';

/** A valid warninglist, or every problem found. */
export type ParseWarninglistResult = { readonly ok: true; readonly warninglist: Warninglist } | { readonly ok: false; readonly problems: readonly string[] };

const TYPES: ReadonlySet<string> = new Set<WarninglistType>(['string', 'substring', 'hostname', 'cidr', 'regex']);
const CATEGORIES: Readonly<Record<string, WarninglistCategory>> = {
  false_positive: 'false_positive',
  'false-positive': 'false_positive',
  known: 'known',
};

/**
 * Validates a list.json document (misp-warninglists schema) with MISP's
 * defaults: a missing `type` is `string` (an array gives its first item), no
 * `matching_attributes` means `ALL`, no `category` means `false_positive`.
 * `list` may be an array or an object mapping entries to comments, as MISP
 * imports both. Entry-level checks (CIDR syntax, regex) happen in the matcher.
 */
export function parseWarninglist(json: unknown, id?: string): ParseWarninglistResult {
  if (!isObject(json)) return { ok: false, problems: ['a warninglist must be a JSON object'] };
  const problems: string[] = [];
  const read = new FieldReader(problems, '');
  const name = read.text(json, 'name');
  const description = read.optionalText(json, 'description') ?? '';
  if (typeof json.description !== 'string') problems.push(`missing required field 'description'`);
  const version = read.integer(json, 'version');
  const type = readType(json.type, problems);
  const category = readCategory(json.category, problems);
  const matching = read.optionalStrings(json, 'matching_attributes') ?? [];
  const entries = readEntries(json.list, problems);
  if (problems.length > 0 || name === undefined || version === undefined || type === undefined || entries === undefined) return { ok: false, problems };
  return {
    ok: true,
    warninglist: {
      name,
      description,
      version,
      type,
      category,
      matching_attributes: matching.length === 0 ? ['ALL'] : matching,
      list: entries.list,
      ...(entries.comments === undefined ? {} : { comments: entries.comments }),
      ...(id === undefined ? {} : { id }),
    },
  };
}

function readType(value: unknown, problems: string[]): WarninglistType | undefined {
  const raw = value === undefined ? 'string' : Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof raw === 'string' && TYPES.has(raw)) return raw as WarninglistType;
  problems.push(`'type' must be one of string, substring, hostname, cidr, regex (got ${JSON.stringify(value)})`);
  return undefined;
}

function readCategory(value: unknown, problems: string[]): WarninglistCategory {
  if (value === undefined || value === null) return 'false_positive';
  const category = typeof value === 'string' ? CATEGORIES[value] : undefined;
  if (category === undefined) problems.push(`'category' must be false_positive or known (got ${JSON.stringify(value)})`);
  return category ?? 'false_positive';
}

function readEntries(value: unknown, problems: string[]): { list: string[]; comments?: Map<string, string> } | undefined {
  if (Array.isArray(value)) {
    const list: string[] = [];
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'string') problems.push(`'list[${index}]' must be a string`);
      else if (item !== '') list.push(item);
    });
    return { list };
  }
  if (isObject(value)) {
    const list: string[] = [];
    const comments = new Map<string, string>();
    for (const [entry, comment] of Object.entries(value)) {
      if (entry === '') continue;
      list.push(entry);
      if (typeof comment === 'string' && comment !== '') comments.set(entry, comment);
      else if (comment !== null && typeof comment !== 'string') problems.push(`comment of list entry "${entry}" must be a string`);
    }
    return { list, comments };
  }
  problems.push(value === undefined ? `missing required field 'list'` : `'list' must be an array of strings or an object of comments`);
  return undefined;
}
