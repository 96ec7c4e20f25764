import type { ZeekRow, ZeekValue } from './zeek-row.js';

/** What one Zeek JSON line was. */
export type ZeekJsonLine =
  | { readonly kind: 'row'; readonly row: ZeekRow }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly reason: string };

// Which log a record is from when it has no `_path` (Zeek writes `_path` only with its JSON streaming option).
function guessPath(o: Record<string, unknown>): string {
  if ('note' in o) return 'notice';
  if ('conn_state' in o || 'orig_bytes' in o || 'history' in o) return 'conn';
  if ('query' in o && ('qtype_name' in o || 'rcode' in o || 'answers' in o)) return 'dns';
  if ('method' in o && 'uri' in o) return 'http';
  if ('server_name' in o || 'cipher' in o || 'ja3' in o) return 'ssl';
  return '';
}

/**
 * Parses one line of a Zeek JSON log (`LogAscii::use_json=T`): keys as in the
 * TSV header (`id.orig_h`), `ts` as epoch seconds or ISO 8601. `path` is the
 * log name when known from the file; otherwise `_path` or the fields decide.
 */
export function parseZeekJsonLine(text: string, path = ''): ZeekJsonLine {
  const t = text.trim();
  if (t === '') return { kind: 'blank' };
  let o: unknown;
  try {
    o = JSON.parse(t);
  } catch (e) {
    return { kind: 'error', reason: t.startsWith('{') && !t.endsWith('}') ? 'truncated JSON record' : `not JSON: ${(e as Error).message}` };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { kind: 'error', reason: 'not a JSON object' };
  const rec = o as Record<string, unknown>;
  const fields: Record<string, ZeekValue> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
    else if (Array.isArray(v)) fields[k] = v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
  }
  const p = typeof rec._path === 'string' ? rec._path : path !== '' ? path : guessPath(rec);
  return { kind: 'row', row: { path: p, fields } };
}
