/**
 * Small readers for untrusted JSON objects. Each pushes a problem naming the
 * field (with its path) instead of throwing, so one pass reports everything.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems under a path prefix such as `predicates[3]`. */
export class FieldReader {
  constructor(
    private readonly problems: string[],
    private readonly path: string,
  ) {}

  private at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** A required non-empty string. */
  text(object: JsonObject, key: string): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && value !== '') return value;
    this.problems.push(value === undefined ? `missing required field '${this.at(key)}'` : `'${this.at(key)}' must be a non-empty string`);
    return undefined;
  }

  /** An optional string; empty strings count as absent (MISP treats them so). */
  optionalText(object: JsonObject, key: string): string | undefined {
    const value = object[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    this.problems.push(`'${this.at(key)}' must be a string`);
    return undefined;
  }

  optionalBoolean(object: JsonObject, key: string): boolean | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.problems.push(`'${this.at(key)}' must be true or false`);
    return undefined;
  }

  optionalNumber(object: JsonObject, key: string): number | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problems.push(`'${this.at(key)}' must be a number`);
    return undefined;
  }

  /** A required integer (versions). */
  integer(object: JsonObject, key: string): number | undefined {
    const value = object[key];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    this.problems.push(value === undefined ? `missing required field '${this.at(key)}'` : `'${this.at(key)}' must be an integer`);
    return undefined;
  }

  /** An optional array of strings; non-string items are reported. */
  optionalStrings(object: JsonObject, key: string): string[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problems.push(`'${this.at(key)}' must be an array of strings`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item: unknown, index) => {
      if (typeof item === 'string') out.push(item);
      else this.problems.push(`'${this.at(key)}[${index}]' must be a string`);
    });
    return out;
  }

  /** A required array of objects; returns the items with their own readers. */
  objects(object: JsonObject, key: string, required: boolean): { readonly item: JsonObject; readonly reader: FieldReader }[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) {
      if (required) this.problems.push(`missing required field '${this.at(key)}'`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problems.push(`'${this.at(key)}' must be an array`);
      return undefined;
    }
    const out: { item: JsonObject; reader: FieldReader }[] = [];
    value.forEach((item: unknown, index) => {
      const path = `${this.at(key)}[${index}]`;
      if (isObject(item)) out.push({ item, reader: new FieldReader(this.problems, path) });
      else this.problems.push(`'${path}' must be an object`);
    });
    return out;
  }
}
