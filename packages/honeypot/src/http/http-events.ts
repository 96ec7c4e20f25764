import { buildEvent } from '../log/build-event.js';
import type { EventEnvelope, HoneypotEvent } from '../log/event.js';
import type { DetectorMatch } from './detect.js';

/** Builds the `waggle.http.exploit` event of one fired detector, in the request's Cowrie envelope. */
export function httpExploitEvent(envelope: EventEnvelope, time: Date, profile: string, match: DetectorMatch, method: string, url: string): HoneypotEvent<'waggle.http.exploit'> {
  return buildEvent('waggle.http.exploit', envelope, time, {
    cve: match.cve,
    profile,
    detector: match.detector,
    technique: match.technique,
    evidence: match.evidence,
    method,
    url,
  });
}
