import { InputError } from '@waggle/errors';

/** One RFC-822-style stanza: field names lower-cased, continuation lines joined with `\n`. */
export interface ControlStanza {
  /** 1-based line where the stanza starts, for error messages. */
  readonly line: number;
  readonly fields: ReadonlyMap<string, string>;
}

/**
 * Splits a Debian control file (dpkg `status`, `Packages`) into stanzas.
 * Blank lines separate stanzas; a line starting with a space or tab continues
 * the previous field; `#` lines are comments.
 * @throws InputError for a line that is neither a field nor a continuation.
 */
export function parseControlStanzas(text: string): ControlStanza[] {
  const stanzas: ControlStanza[] = [];
  let fields = new Map<string, string>();
  let start = 0;
  let last: string | undefined;
  const lines = text.split(/\r?\n/);
  const flush = (): void => {
    if (fields.size > 0) stanzas.push({ line: start, fields });
    fields = new Map();
    last = undefined;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (last === undefined) throw new InputError(`line ${n + 1}: continuation line without a field`, { line: n + 1 });
      fields.set(last, `${fields.get(last) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new InputError(`line ${n + 1}: expected "Field: value", got "${line.slice(0, 60)}"`, { line: n + 1 });
    if (fields.size === 0) start = n + 1;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  flush();
  return stanzas;
}
