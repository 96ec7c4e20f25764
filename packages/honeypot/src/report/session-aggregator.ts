import type { CowrieRecord } from './cowrie-record.js';
import { foldEvent, newSessionSummary, type SessionSummary } from './session-summary.js';
import { stableUuid } from './stable-uuid.js';

/** The sessions of one attacker on one sensor in one time window: one MISP event. */
export interface SessionBatch {
  /** Stable event UUID derived from (sensor, src_ip, window start). */
  uuid: string;
  sensor: string;
  src_ip: string;
  /** Window bounds, ISO 8601. */
  window_start: string;
  window_end: string;
  sessions: SessionSummary[];
}

/** Options of {@link createSessionAggregator}. */
export interface SessionAggregatorOptions {
  /** Length of the per-attacker window (e.g. one hour). */
  windowMs: number;
  /** A session with no event for this long is reported even without `session.closed`. */
  idleMs: number;
}

/** Folds Cowrie events into sessions and hands out finished ones grouped per attacker and window. */
export interface SessionAggregator {
  add(record: CowrieRecord): void;
  /** Removes and returns the batches of finished sessions (all sessions when `force`). */
  takeReady(now: Date, force?: boolean): SessionBatch[];
  /** Sessions not yet handed out. */
  pending(): number;
}

/** Sessions that only connected and left (port scans) are not worth an event. */
function isInteresting(s: SessionSummary): boolean {
  return s.logins.length > 0 || s.commands.length > 0 || s.urls.length > 0 || s.files.length > 0 || s.cves.length > 0 || s.requests.length > 0;
}

/** Creates the aggregator the reporter feeds; pure apart from holding state. */
export function createSessionAggregator(options: SessionAggregatorOptions): SessionAggregator {
  if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
  const open = new Map<string, SessionSummary>();
  return {
    add(r) {
      const key = `${String(r.sensor)}\u0000${r.session}`;
      let s = open.get(key);
      if (s === undefined) {
        if (r.eventid === 'waggle.session.rejected') return;
        s = newSessionSummary(r);
        open.set(key, s);
      }
      foldEvent(s, r);
    },
    takeReady(now, force = false) {
      const batches = new Map<string, SessionBatch>();
      for (const [key, s] of open) {
        if (!force && !s.closed && now.getTime() - Date.parse(s.last) < options.idleMs) continue;
        open.delete(key);
        if (!isInteresting(s)) continue;
        const start = Math.floor(Date.parse(s.start) / options.windowMs) * options.windowMs;
        const uuid = stableUuid('honeypot-event', s.sensor, s.src_ip, start);
        let b = batches.get(uuid);
        if (b === undefined) {
          b = { uuid, sensor: s.sensor, src_ip: s.src_ip, window_start: new Date(start).toISOString(), window_end: new Date(start + options.windowMs).toISOString(), sessions: [] };
          batches.set(uuid, b);
        }
        b.sessions.push(s);
      }
      return [...batches.values()];
    },
    pending: () => open.size,
  };
}
