import type { ZeekRow, ZeekValue } from './zeek-row.js';

/** What one TSV line was. */
export type ZeekTsvLine =
  | { readonly kind: 'row'; readonly row: ZeekRow }
  | { readonly kind: 'header' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly reason: string };

/** A stateful parser of Zeek's ASCII (TSV) log format, fed one line at a time. */
export interface ZeekTsvParser {
  feed(text: string): ZeekTsvLine;
  /** True once `#close` was read (a log file still being written has none). */
  readonly closed: boolean;
}

// Zeek escapes separators and non-printable bytes as \xNN.
const unescape = (s: string): string => (s.includes('\\x') ? s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s);

const NUMERIC = new Set(['time', 'interval', 'double', 'count', 'int', 'port']);

interface Bad {
  readonly bad: string;
}

function convert(text: string, type: string, setSep: string, empty: string): ZeekValue | Bad {
  const container = /^(set|vector|table)\[(\w+)\]$/.exec(type);
  if (container !== null) {
    if (text === empty) return [];
    const inner = container[2] as string;
    return text.split(setSep).map((item) => {
      const v = unescape(item);
      return NUMERIC.has(inner) && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    });
  }
  if (text === empty) return '';
  const v = unescape(text);
  if (NUMERIC.has(type)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : { bad: `bad ${type} value "${v}"` };
  }
  if (type === 'bool') return v === 'T' ? true : v === 'F' ? false : { bad: `bad bool value "${v}"` };
  return v;
}

/**
 * Creates a parser for one Zeek TSV log. Header lines (`#separator`,
 * `#set_separator`, `#empty_field`, `#unset_field`, `#path`, `#fields`,
 * `#types`, `#open`, `#close`) set its state; a new header block (log
 * rotation concatenated into one stream) replaces it.
 */
export function createZeekTsvParser(defaultPath = ''): ZeekTsvParser {
  let sep = '\t';
  let setSep = ',';
  let empty = '(empty)';
  let unset = '-';
  let path = defaultPath;
  let fields: string[] = [];
  let types: string[] = [];
  let closed = false;
  const header = (text: string): ZeekTsvLine => {
    if (text.startsWith('#separator')) {
      const value = text.slice('#separator'.length).trim();
      sep = unescape(value === '' ? '\\x09' : value);
      return { kind: 'header' };
    }
    const [name, ...rest] = text.slice(1).split(sep);
    const value = rest.join(sep);
    switch (name) {
      case 'set_separator':
        setSep = unescape(value);
        break;
      case 'empty_field':
        empty = value;
        break;
      case 'unset_field':
        unset = value;
        break;
      case 'path':
        path = value;
        break;
      case 'fields':
        fields = rest;
        closed = false;
        break;
      case 'types':
        types = rest;
        break;
      case 'close':
        closed = true;
        break;
      case undefined:
      default:
        break;
    }
    return { kind: 'header' };
  };
  return {
    get closed() {
      return closed;
    },
    feed(text) {
      if (text === '') return { kind: 'blank' };
      if (text.startsWith('#')) return header(text);
      if (fields.length === 0) return { kind: 'error', reason: 'data line before a #fields header' };
      const values = text.split(sep);
      if (values.length !== fields.length) return { kind: 'error', reason: `expected ${String(fields.length)} fields, got ${String(values.length)}${values.length < fields.length ? ' (truncated line?)' : ''}` };
      const out: Record<string, ZeekValue> = {};
      for (let i = 0; i < fields.length; i += 1) {
        const raw = values[i] as string;
        if (raw === unset) continue;
        const v = convert(raw, types[i] ?? 'string', setSep, empty);
        if (typeof v === 'object' && 'bad' in v) return { kind: 'error', reason: `field ${fields[i] as string}: ${v.bad}` };
        out[fields[i] as string] = v;
      }
      return { kind: 'row', row: { path, fields: out } };
    },
  };
}
