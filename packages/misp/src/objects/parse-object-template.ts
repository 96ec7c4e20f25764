import type { ObjectTemplate, ObjectTemplateAttribute } from './object-template.js';

/** The verdict of {@link parseObjectTemplate}. */
export type ParseObjectTemplateResult =
  | { readonly ok: true; readonly template: ObjectTemplate }
  | { readonly ok: false; readonly problems: readonly string[] };

type Json = Readonly<Record<string, unknown>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Collects problems while copying known fields, so one pass reports every
 * problem in a definition instead of stopping at the first.
 */
class Reader {
  readonly problems: string[] = [];

  string(source: Json, key: string, path: string): string {
    const value = source[key];
    if (typeof value === 'string') return value;
    this.problems.push(`${path}${key}: must be a string`);
    return '';
  }

  optional<T>(
    source: Json,
    key: string,
    path: string,
    test: (value: unknown) => value is T,
    expected: string,
  ): T | undefined {
    const value = source[key];
    if (value === undefined || test(value)) return value;
    this.problems.push(`${path}${key}: must be ${expected}`);
    return undefined;
  }
}

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function readAttribute(reader: Reader, relation: string, raw: unknown): ObjectTemplateAttribute {
  const path = `attributes.${relation}.`;
  if (!isRecord(raw)) {
    reader.problems.push(`attributes.${relation}: must be an object`);
    return { 'misp-attribute': '', description: '', 'ui-priority': 0 };
  }
  const priority = raw['ui-priority'];
  if (typeof priority !== 'number') reader.problems.push(`${path}ui-priority: must be a number`);
  const element = {
    'misp-attribute': reader.string(raw, 'misp-attribute', path),
    description: reader.string(raw, 'description', path),
    'ui-priority': typeof priority === 'number' ? priority : 0,
    categories: reader.optional(raw, 'categories', path, isStringList, 'a list of strings'),
    multiple: reader.optional(raw, 'multiple', path, isBoolean, 'a boolean'),
    sane_default: reader.optional(raw, 'sane_default', path, isStringList, 'a list of strings'),
    values_list: reader.optional(raw, 'values_list', path, isStringList, 'a list of strings'),
    to_ids: reader.optional(raw, 'to_ids', path, isBoolean, 'a boolean'),
    disable_correlation: reader.optional(raw, 'disable_correlation', path, isBoolean, 'a boolean'),
    recommended: reader.optional(raw, 'recommended', path, isBoolean, 'a boolean'),
  };
  if (element.categories?.length === 0) reader.problems.push(`${path}categories: must not be empty`);
  return withoutUndefined(element);
}

/** `T` with every field that may be `undefined` turned into an optional field. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops absent optional fields, as `exactOptionalPropertyTypes` requires. */
function withoutUndefined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

function readRelationList(
  reader: Reader,
  source: Json,
  key: 'required' | 'requiredOneOf',
  attributes: Readonly<Record<string, ObjectTemplateAttribute>> | undefined,
): readonly string[] | undefined {
  const list = reader.optional(source, key, '', isStringList, 'a list of strings');
  // Without valid attributes every name would be unknown; that is one problem, not many.
  if (attributes === undefined) return list;
  for (const relation of list ?? []) {
    if (!Object.hasOwn(attributes, relation)) {
      reader.problems.push(`${key}: names unknown relation '${relation}'`);
    }
  }
  return list;
}

/**
 * Checks parsed JSON against the misp-objects template schema and returns a
 * typed template, or every problem found. Unknown top-level and element keys
 * are ignored so templates from newer misp-objects releases still load.
 * Attribute types and categories are not checked against the MISP type
 * registry here.
 */
export function parseObjectTemplate(input: unknown): ParseObjectTemplateResult {
  if (!isRecord(input)) return { ok: false, problems: ['template must be a JSON object'] };
  const reader = new Reader();
  const name = reader.string(input, 'name', '');
  if (name === '' && typeof input['name'] === 'string') reader.problems.push('name: must not be empty');
  const uuid = reader.string(input, 'uuid', '');
  if (typeof input['uuid'] === 'string' && !UUID.test(uuid)) reader.problems.push('uuid: must be a UUID');
  const rawVersion = input['version'];
  const version = Number.isSafeInteger(rawVersion) && Number(rawVersion) >= 0 ? Number(rawVersion) : 0;
  if (version !== rawVersion) reader.problems.push('version: must be a non-negative integer');
  const description = reader.string(input, 'description', '');
  const metaCategory = reader.string(input, 'meta-category', '');
  const rawAttributes = input['attributes'];
  let attributes: Record<string, ObjectTemplateAttribute> | undefined;
  if (isRecord(rawAttributes)) {
    // fromEntries defines own properties, so a "__proto__" key stays data.
    attributes = Object.fromEntries(
      Object.entries(rawAttributes).map(([relation, raw]) => [relation, readAttribute(reader, relation, raw)]),
    );
    if (Object.keys(attributes).length === 0) reader.problems.push('attributes: must not be empty');
  } else {
    reader.problems.push('attributes: must be an object keyed by relation');
  }
  const required = readRelationList(reader, input, 'required', attributes);
  const requiredOneOf = readRelationList(reader, input, 'requiredOneOf', attributes);
  if (reader.problems.length > 0) return { ok: false, problems: reader.problems };
  const template: ObjectTemplate = withoutUndefined({
    name,
    uuid,
    version,
    description,
    'meta-category': metaCategory,
    attributes: attributes ?? {},
    required,
    requiredOneOf,
  });
  return { ok: true, template };
}
