import { formatCowrieTimestamp } from '../log/timestamp.js';
import type { EventEnvelope, HoneypotEvent } from '../log/event.js';
import type { DetectorMatch } from './detect.js';

/** Fields of a `waggle.http.exploit` event: which CVE the request tried, and the proof. */
export interface HttpExploitFields {
  cve: string;
  profile: string;
  detector: string;
  technique: string;
  evidence: string[];
  method: string;
  url: string;
}

/**
 * Builds a `waggle.http.exploit` event in the Cowrie envelope. It is built here rather than
 * through the log module's message table so the lure can add exploit fields without the
 * shared table knowing every lure; readers treat it as any other event line.
 */
export function httpExploitEvent(envelope: EventEnvelope, time: Date, profile: string, match: DetectorMatch, method: string, url: string): HoneypotEvent {
  const fields: HttpExploitFields = { cve: match.cve, profile, detector: match.detector, technique: match.technique, evidence: match.evidence, method, url };
  const event = {
    eventid: 'waggle.http.exploit',
    timestamp: formatCowrieTimestamp(time),
    ...envelope,
    message: `Exploit attempt ${match.cve} (${match.detector}) on ${profile}: ${method} ${url.slice(0, 200)}`,
    ...fields,
  };
  return event as unknown as HoneypotEvent;
}
