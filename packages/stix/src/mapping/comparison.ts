/**
 * One comparison of a STIX pattern, `object:path op value`, and also one
 * property of an observable: the common form through which attribute values,
 * patterns and cyber-observable objects are translated.
 *
 * Path steps are property names, or `[*]`/`[n]` for list indexes.
 */
export interface Comparison {
  readonly object: string;
  readonly path: readonly string[];
  readonly operator: '=' | 'ISSUBSET';
  readonly value: string | number | boolean;
}

/** `object:step.step[*]`: the key by which comparisons are matched. */
export function comparisonKey(object: string, path: readonly string[]): string {
  return `${object}:${path.join('.')}`;
}

/** Whether a path step is a list index (`[*]`, `[0]`). */
export function isIndexStep(step: string): boolean {
  return step.startsWith('[');
}

/** A comparison with the `=` operator. */
export function equals(object: string, path: readonly string[], value: string | number | boolean): Comparison {
  return { object, path, operator: '=', value };
}

// Hash names as they appear in foreign patterns (`hashes.MD5`, `hashes.'SHA-256'`, `hashes.sha256`) → STIX 2.1 names.
const HASH_ALIASES: Readonly<Record<string, string>> = {
  MD5: 'MD5', SHA1: 'SHA-1', 'SHA-1': 'SHA-1', SHA256: 'SHA-256', 'SHA-256': 'SHA-256', SHA512: 'SHA-512', 'SHA-512': 'SHA-512',
  'SHA3-256': 'SHA3-256', SHA3256: 'SHA3-256', 'SHA3-512': 'SHA3-512', SHA3512: 'SHA3-512', SSDEEP: 'SSDEEP', TLSH: 'TLSH',
};

/** The STIX 2.1 spelling of a hash algorithm name (other names are kept, upper-cased). */
export function canonicalHashName(name: string): string {
  const upper = name.toUpperCase();
  return HASH_ALIASES[upper] ?? upper;
}

/** A path with hash names canonicalised, so `hashes.sha256` and `hashes.'SHA-256'` match. */
export function canonicalPath(path: readonly string[]): string[] {
  return path.map((step, i) => (i > 0 && path[i - 1] === 'hashes' ? canonicalHashName(step) : step));
}
