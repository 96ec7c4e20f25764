import { InputError } from '@waggle/errors';
import { indexColumns, normaliseColumn, uniqueNames } from './columns.js';
import type { RowLayout } from './row-mapper.js';

/** A column a preset cannot work without: any of `names` (normalised) satisfies it; `name` is what errors show. */
export interface RequiredColumn {
  readonly names: readonly string[];
  readonly name: string;
}

/** What a preset needs from a header. */
export interface LayoutSpec {
  readonly format: string;
  readonly required: readonly RequiredColumn[];
  /** Normalised names of the label column, first match wins. */
  readonly label: readonly string[];
  /** Display name of the label column for errors. */
  readonly labelName: string;
  /** Normalised names never copied to `extra`: row ids, difficulty scores, second timestamps. */
  readonly exclude?: readonly string[];
}

/** The columns a header lacks for a spec, by display name; empty when it fits. */
export function missingColumns(header: readonly string[], spec: LayoutSpec): string[] {
  const names = new Set(header.map(normaliseColumn));
  const missing = spec.required.filter((r) => !r.names.some((n) => names.has(n))).map((r) => r.name);
  if (!spec.label.some((l) => names.has(l))) missing.push(spec.labelName);
  return missing;
}

/** Binds a header to a spec, or throws an {@link InputError} naming every missing column. */
export function layoutFor(header: readonly string[], spec: LayoutSpec): RowLayout {
  const missing = missingColumns(header, spec);
  if (missing.length > 0) {
    throw new InputError(`not a ${spec.format} file: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      field: 'columns',
      missing,
    });
  }
  const columns = indexColumns(header);
  const normalised = header.map(normaliseColumn);
  const labelIndex = spec.label.map((l) => normalised.indexOf(l)).find((i) => i >= 0) ?? -1;
  const used = new Set<number>([labelIndex, ...Object.values(columns)]);
  const exclude = new Set(spec.exclude ?? []);
  const names = uniqueNames(header);
  const extra: (readonly [number, string])[] = [];
  names.forEach((name, i) => {
    if (!used.has(i) && !exclude.has(normalised[i] ?? '')) extra.push([i, name]);
  });
  return { columns, labelIndex, extra };
}
