import type { FlowRecord } from '@waggle/flows';
import type { Observation } from '../observation.js';
import { alertToObservation } from '../suricata/eve-alert.js';
import { parseEveLine } from '../suricata/eve-event.js';
import { eveToFlow } from '../suricata/eve-flow.js';
import { parseZeekJsonLine } from '../zeek/zeek-json.js';
import { connToFlow, noticeToObservation } from '../zeek/zeek-records.js';
import type { ZeekRow } from '../zeek/zeek-row.js';
import { createZeekTsvParser, type ZeekTsvParser } from '../zeek/zeek-tsv.js';

/** What one line yielded. */
export type LineOutcome =
  | { readonly kind: 'observation'; readonly type: string; readonly observation: Observation }
  | { readonly kind: 'flow'; readonly type: string; readonly flow: FlowRecord; readonly unanswered: boolean }
  | { readonly kind: 'ignored'; readonly type: string }
  | { readonly kind: 'header' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly reason: string };

/** Turns one text line into an outcome; stateful for formats with headers. */
export type LineHandler = (text: string) => LineOutcome;

/** A Suricata EVE JSON line handler (alerts → observations, flows → flow records). */
export function suricataHandler(version: string): LineHandler {
  return (text) => {
    const p = parseEveLine(text);
    if (p.kind !== 'event') return p;
    const e = p.event;
    if (e.eventType === 'alert') {
      const o = alertToObservation(e, version);
      return typeof o === 'string' ? { kind: 'error', reason: o } : { kind: 'observation', type: 'alert', observation: o };
    }
    if (e.eventType === 'flow' || e.eventType === 'netflow') {
      const f = eveToFlow(e);
      return typeof f === 'string' ? { kind: 'error', reason: f } : { kind: 'flow', type: e.eventType, flow: f.flow, unanswered: f.unanswered };
    }
    return { kind: 'ignored', type: e.eventType };
  };
}

function zeekRowOutcome(row: ZeekRow, version: string): LineOutcome {
  const type = row.path === '' ? 'unknown' : row.path;
  if (row.path === 'notice') {
    const o = noticeToObservation(row, version);
    return typeof o === 'string' ? { kind: 'error', reason: o } : { kind: 'observation', type, observation: o };
  }
  if (row.path === 'conn') {
    const f = connToFlow(row);
    return typeof f === 'string' ? { kind: 'error', reason: f } : { kind: 'flow', type, flow: f.flow, unanswered: f.unanswered };
  }
  return { kind: 'ignored', type };
}

/**
 * A Zeek line handler. TSV or JSON is decided by the first non-blank line
 * (`#` header or `{`); `path` names the log when the file does not
 * (`#path` header, `_path` key).
 */
export function zeekHandler(version: string, path = ''): LineHandler {
  let mode: 'tsv' | 'json' | undefined;
  let tsv: ZeekTsvParser | undefined;
  return (text) => {
    if (mode === undefined) {
      const t = text.trimStart();
      if (t === '') return { kind: 'blank' };
      mode = t.startsWith('{') ? 'json' : 'tsv';
      if (mode === 'tsv' && !t.startsWith('#')) mode = undefined;
      if (mode === undefined) return { kind: 'error', reason: 'not a Zeek log: expected a #separator/#fields header or a JSON object' };
      if (mode === 'tsv') tsv = createZeekTsvParser(path);
    }
    if (mode === 'json') {
      const p = parseZeekJsonLine(text, path);
      return p.kind === 'row' ? zeekRowOutcome(p.row, version) : p;
    }
    const p = (tsv as ZeekTsvParser).feed(text);
    return p.kind === 'row' ? zeekRowOutcome(p.row, version) : p;
  };
}
