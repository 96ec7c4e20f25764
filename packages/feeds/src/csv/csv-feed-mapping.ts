import { InputError } from '@waggle/errors';
import { isCategoryAllowed, isKnownCategory, isKnownType } from '@waggle/misp';

/** A column: its number counted from 1 (as in MISP's CSV feed settings), or its header name. */
export type CsvColumn = number | string;

/** How a CSV feed's columns become MISP attributes. */
export interface CsvFeedMapping {
  /** Column holding the indicator value. */
  readonly value: CsvColumn;
  /** A fixed MISP type, or the column naming each row's type; detected like freetext when absent. */
  readonly type?: string | { readonly column: CsvColumn };
  /** A fixed category; MISP's default for the type when absent. */
  readonly category?: string;
  /** Column holding the attribute comment. */
  readonly comment?: CsvColumn;
  /** A fixed `to_ids`; MISP's default for the type when absent. */
  readonly toIds?: boolean;
  /** Field separator (default ","); "\t" written as two characters means a tab, as in MISP. */
  readonly delimiter?: string;
  /** The first record after skipped lines names the columns (default false). */
  readonly headerRow?: boolean;
  /** Physical lines skipped at the start (default 0). */
  readonly skipLines?: number;
  /** Quote character (default `"`); "" turns quoting off. */
  readonly quote?: string;
}

/** A mapping checked once, with defaults applied. */
export interface ResolvedCsvMapping {
  readonly value: CsvColumn;
  readonly type: { readonly fixed: string } | { readonly column: CsvColumn } | undefined;
  readonly category: string | undefined;
  readonly comment: CsvColumn | undefined;
  readonly toIds: boolean | undefined;
  readonly delimiter: string;
  readonly headerRow: boolean;
  readonly skipLines: number;
  readonly quote: string | undefined;
}

/** Checks a mapping and reports every problem at once as one InputError. */
export function resolveCsvMapping(mapping: CsvFeedMapping): ResolvedCsvMapping {
  const problems: string[] = [];
  const headerRow = mapping.headerRow ?? false;
  if (typeof headerRow !== 'boolean') problems.push('headerRow must be true or false.');
  const checkColumn = (name: string, column: unknown): void => {
    if (typeof column === 'number') {
      if (!Number.isSafeInteger(column) || column < 1) problems.push(`${name} must be a column number from 1 up, got ${column}.`);
    } else if (typeof column === 'string') {
      if (column.trim() === '') problems.push(`${name} must not be an empty header name.`);
      else if (!headerRow) problems.push(`${name} names the header "${column}", which needs headerRow: true.`);
    } else {
      problems.push(`${name} must be a column number or a header name.`);
    }
  };
  checkColumn('value', mapping.value);
  if (mapping.comment !== undefined) checkColumn('comment', mapping.comment);

  let type: ResolvedCsvMapping['type'];
  if (typeof mapping.type === 'string') {
    if (!isKnownType(mapping.type)) problems.push(`type "${mapping.type}" is not a MISP attribute type.`);
    type = { fixed: mapping.type };
  } else if (typeof mapping.type === 'object' && mapping.type !== null) {
    checkColumn('type.column', mapping.type.column);
    type = { column: mapping.type.column };
  } else if (mapping.type !== undefined) {
    problems.push('type must be a MISP type or { column }.');
  }

  if (mapping.category !== undefined) {
    if (typeof mapping.category !== 'string' || !isKnownCategory(mapping.category)) {
      problems.push(`category "${String(mapping.category)}" is not a MISP category.`);
    } else if (type !== undefined && 'fixed' in type && isKnownType(type.fixed) && !isCategoryAllowed(mapping.category, type.fixed)) {
      problems.push(`category "${mapping.category}" does not allow type "${type.fixed}".`);
    }
  }
  if (mapping.toIds !== undefined && typeof mapping.toIds !== 'boolean') problems.push('toIds must be true or false.');

  const rawDelimiter = mapping.delimiter ?? ',';
  const delimiter = rawDelimiter === '\\t' ? '\t' : rawDelimiter;
  if (typeof delimiter !== 'string' || delimiter === '' || /[\r\n]/.test(delimiter)) {
    problems.push('delimiter must be a non-empty string without line breaks.');
  }
  const quote = mapping.quote ?? '"';
  if (typeof quote !== 'string' || quote.length > 1 || /[\r\n]/.test(quote)) {
    problems.push('quote must be one character, or "" for no quoting.');
  } else if (quote !== '' && typeof delimiter === 'string' && delimiter.includes(quote)) {
    problems.push('delimiter and quote must differ.');
  }
  const skipLines = mapping.skipLines ?? 0;
  if (!Number.isSafeInteger(skipLines) || skipLines < 0) problems.push(`skipLines must be a whole number from 0 up, got ${String(skipLines)}.`);

  if (problems.length > 0) throw new InputError(`Invalid CSV feed mapping: ${problems.join(' ')}`, { field: 'mapping', problems });
  return {
    value: mapping.value,
    type,
    category: mapping.category,
    comment: mapping.comment,
    toIds: mapping.toIds,
    delimiter,
    headerRow,
    skipLines,
    quote: quote === '' ? undefined : quote,
  };
}

/** Turns header names into column indexes (0-based); throws InputError naming every missing header. */
export function columnIndexes(mapping: ResolvedCsvMapping, header: readonly string[] | undefined): ColumnIndexes {
  const names = header?.map((name) => name.trim()) ?? [];
  const missing: string[] = [];
  const indexOf = (column: CsvColumn): number => {
    if (typeof column === 'number') return column - 1;
    let found = names.indexOf(column.trim());
    if (found === -1) found = names.findIndex((name) => name.toLowerCase() === column.trim().toLowerCase());
    if (found === -1) missing.push(column);
    return found;
  };
  const indexes = {
    value: indexOf(mapping.value),
    type: mapping.type !== undefined && 'column' in mapping.type ? indexOf(mapping.type.column) : undefined,
    comment: mapping.comment === undefined ? undefined : indexOf(mapping.comment),
  };
  if (missing.length > 0) {
    const known = names.length === 0 ? 'none' : names.map((name) => `"${name}"`).join(', ');
    throw new InputError(`CSV header has no column ${missing.map((m) => `"${m}"`).join(', ')}; columns are ${known}.`, { field: 'mapping' });
  }
  return indexes;
}

/** 0-based column positions of a mapping. */
export interface ColumnIndexes {
  readonly value: number;
  readonly type: number | undefined;
  readonly comment: number | undefined;
}
