/** One Cowrie JSON log line as read back: the envelope plus any per-event fields. */
export interface CowrieRecord {
  readonly eventid: string;
  readonly timestamp: string;
  readonly session: string;
  readonly src_ip: string;
  readonly [field: string]: unknown;
}

/** Parses one JSON line; returns undefined for blank, malformed or non-Cowrie lines (a log may be cut mid-line). */
export function parseCowrieLine(line: string): CowrieRecord | undefined {
  const text = line.trim();
  if (text === '' || !text.startsWith('{')) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  if (typeof r.eventid !== 'string' || typeof r.timestamp !== 'string' || typeof r.session !== 'string' || typeof r.src_ip !== 'string') return undefined;
  if (Number.isNaN(Date.parse(r.timestamp))) return undefined;
  return r as CowrieRecord;
}
