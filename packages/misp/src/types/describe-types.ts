import { readFileSync } from 'node:fs';

/** Defaults MISP applies to an attribute of one type when the client omits them. */
export interface TypeDefaults {
  readonly default_category: string;
  /** 1 when attributes of this type are IDS-worthy by default, else 0. */
  readonly to_ids: 0 | 1;
}

/**
 * The attribute type and category registry, shaped exactly like the `result`
 * object of MISP's `GET /attributes/describeTypes.json` (PyMISP reads it).
 */
export interface DescribeTypes {
  readonly sane_defaults: Readonly<Record<string, TypeDefaults>>;
  readonly types: readonly string[];
  readonly categories: readonly string[];
  readonly category_type_mappings: Readonly<Record<string, readonly string[]>>;
}

// The registry is static data shipped with the package; it is read once, on
// first use, so importing this module costs nothing. Both src/types/*.ts and
// dist/types/*.js sit two levels below the package root.
const DATA_URL = new URL('../../data/describe-types.json', import.meta.url);

let cached: DescribeTypes | undefined;

/**
 * The MISP type/category registry (`describeTypes` result). The object is
 * deeply frozen and shared; callers must not (and cannot) modify it.
 */
export function describeTypes(): DescribeTypes {
  cached ??= deepFreeze(parseDescribeTypes(JSON.parse(readFileSync(DATA_URL, 'utf8')) as unknown));
  return cached;
}

function parseDescribeTypes(raw: unknown): DescribeTypes {
  if (!isRecord(raw)) throw new Error('describe-types.json: expected an object');
  const { sane_defaults: defaults, types, categories, category_type_mappings: mappings } = raw;
  if (!isStringArray(types) || !isStringArray(categories)) {
    throw new Error('describe-types.json: types and categories must be string arrays');
  }
  if (!isRecord(defaults) || !isRecord(mappings)) {
    throw new Error('describe-types.json: sane_defaults and category_type_mappings must be objects');
  }
  for (const type of types) {
    const entry = defaults[type];
    if (!isRecord(entry) || typeof entry['default_category'] !== 'string' || (entry['to_ids'] !== 0 && entry['to_ids'] !== 1)) {
      throw new Error(`describe-types.json: bad sane_defaults entry for ${type}`);
    }
  }
  for (const category of categories) {
    if (!isStringArray(mappings[category])) {
      throw new Error(`describe-types.json: bad category_type_mappings entry for ${category}`);
    }
  }
  return raw as unknown as DescribeTypes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
