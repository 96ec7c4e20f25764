import { InputError } from '@waggle/errors';

/**
 * Parses RFC 4180 CSV text into rows of fields: quoted fields may hold commas, doubled quotes
 * and line breaks; CRLF, LF and a leading byte-order mark are accepted. Blank lines are skipped
 * because the upstream files end with one and some have stray empty lines.
 * Throws `InputError` for a quote that is never closed or text after a closing quote.
 */
export function parseCsv(text: string, source = 'CSV'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let atFieldStart = true;
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
    atFieldStart = true;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"' && atFieldStart) {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new InputError(`${source}: quoted field opened on line ${startLine} is never closed`);
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new InputError(`${source}: line ${line}: text after a closing quote`);
      atFieldStart = false;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
    } else {
      // Take the rest of an unquoted field in one slice: the files have 30 000-row tables.
      let j = i + 1;
      for (; j < text.length; j++) {
        const ch = text.charCodeAt(j);
        if (ch === 44 || ch === 10 || ch === 13) break;
      }
      field += text.slice(i, j);
      atFieldStart = false;
      i = j;
      continue;
    }
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** A CSV table: the header names (trimmed) and the data rows as records keyed by header name. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly records: readonly Readonly<Record<string, string>>[];
}

/**
 * Parses CSV with a header row into records; fields missing at the end of a short row read as ''.
 * Throws `InputError` naming `source` when a required column is absent.
 */
export function parseCsvTable(text: string, source: string, required: readonly string[] = []): CsvTable {
  const [head, ...body] = parseCsv(text, source);
  const header = (head ?? []).map((h) => h.trim());
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new InputError(`${source}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',') || 'empty'})`);
  const records = body.map((cells) => {
    const record: Record<string, string> = {};
    header.forEach((name, index) => {
      // Upstream headers have many empty trailing names; keep the first occurrence of a name only.
      if (name !== '' && !(name in record)) record[name] = cells[index] ?? '';
    });
    return record;
  });
  return { header, records };
}
