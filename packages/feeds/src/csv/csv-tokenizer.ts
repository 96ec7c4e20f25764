/** One CSV record and the physical line it starts on (1-based). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
  /** Set when the record is malformed; its fields are then best effort. */
  readonly error?: string;
}

/** How the CSV text is written. */
export interface CsvDialect {
  /** Field separator; may be several characters long (MISP allows e.g. "##comma##"). */
  readonly delimiter: string;
  /** Quote character, or undefined when fields are never quoted. */
  readonly quote: string | undefined;
  /** Records whose first character is this are skipped whole (comment lines). */
  readonly comment: string | undefined;
  /** Physical lines at the start that are skipped unparsed. */
  readonly skipLines: number;
}

/**
 * An incremental RFC 4180 reader: quoted fields with doubled quotes and line
 * breaks inside, CRLF/LF/CR line ends, blank lines skipped. It is lenient where
 * PHP's `str_getcsv` (which MISP uses) is: a quote inside an unquoted field is
 * kept as text. A character after a closing quote, or a quote left open at the
 * end, marks that one record as malformed instead of failing the whole input.
 */
export class CsvTokenizer {
  private buffer = '';
  private fields: string[] = [];
  private field = '';
  private fieldTouched = false;
  private inQuotes = false;
  private closedQuote = false;
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private atRecordStart = true;

  constructor(private readonly dialect: CsvDialect) {}

  /** Feeds more text; returns the records completed by it. `final` flushes everything. */
  push(chunk: string, final: boolean): CsvRecord[] {
    const buf = this.buffer + chunk;
    const out: CsvRecord[] = [];
    // Keep a short tail unread so CRLF, "" and multi-character delimiters never straddle chunks.
    const stop = final ? buf.length : buf.length - Math.max(this.dialect.delimiter.length, 2);
    const { delimiter, quote } = this.dialect;
    let i = 0;
    while (i < stop) {
      if (this.atRecordStart && !this.inQuotes && this.shouldSkipLine(buf[i] as string)) {
        const end = nextLineEnd(buf, i);
        if ((end === -1 || end >= stop) && !final) break;
        i = end === -1 ? buf.length : this.consumeLineEnd(buf, end);
        this.recordLine = this.line;
        continue;
      }
      const ch = buf[i] as string;
      if (this.inQuotes) {
        if (ch === quote) {
          if (buf[i + 1] === quote) {
            this.field += quote;
            i += 2;
          } else {
            this.inQuotes = false;
            this.closedQuote = true;
            i++;
          }
        } else if (ch === '\n' || ch === '\r') {
          const next = this.consumeLineEnd(buf, i);
          this.field += buf.slice(i, next);
          i = next;
        } else {
          this.field += ch;
          i++;
        }
        continue;
      }
      this.atRecordStart = false;
      if (ch === quote && !this.fieldTouched) {
        this.inQuotes = true;
        this.fieldTouched = true;
        i++;
      } else if (buf.startsWith(delimiter, i)) {
        this.endField();
        i += delimiter.length;
      } else if (ch === '\n' || ch === '\r') {
        i = this.consumeLineEnd(buf, i);
        this.endRecord(out);
      } else {
        if (this.closedQuote) this.error ??= `Unexpected character after a closing quote in column ${this.fields.length + 1}.`;
        this.field += ch;
        this.fieldTouched = true;
        i++;
      }
    }
    this.buffer = buf.slice(i);
    if (final) {
      if (this.inQuotes) this.error ??= `A quoted field in column ${this.fields.length + 1} is never closed.`;
      if (this.fieldTouched || this.fields.length > 0) this.endRecord(out);
    }
    return out;
  }

  private shouldSkipLine(ch: string): boolean {
    return this.line <= this.dialect.skipLines || ch === this.dialect.comment;
  }

  // Returns the index after the line end at `i`, counting the line.
  private consumeLineEnd(buf: string, i: number): number {
    this.line++;
    return buf[i] === '\r' && buf[i + 1] === '\n' ? i + 2 : i + 1;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldTouched = false;
    this.closedQuote = false;
  }

  private endRecord(out: CsvRecord[]): void {
    this.endField();
    const blank = this.fields.length === 1 && this.fields[0] === '' && this.error === undefined;
    if (!blank) {
      out.push(this.error === undefined ? { line: this.recordLine, fields: this.fields } : { line: this.recordLine, fields: this.fields, error: this.error });
    }
    this.fields = [];
    this.error = undefined;
    this.inQuotes = false;
    this.recordLine = this.line;
    this.atRecordStart = true;
  }
}

function nextLineEnd(buf: string, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const ch = buf[i];
    if (ch === '\n' || ch === '\r') return i;
  }
  return -1;
}
