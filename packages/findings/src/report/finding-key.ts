import type { Finding } from '../finding.js';
import { stableUuid } from './stable-uuid.js';

/** The UTC day (`YYYY-MM-DD`) a finding belongs to: the day it was first seen. */
export function findingDay(f: Finding): string {
  return new Date(Date.parse(f.firstSeen)).toISOString().slice(0, 10);
}

/** Detector names of a finding's attack_type record, sorted. */
export function findingDetectors(f: Finding): string[] {
  return Object.keys(f.attackType).sort();
}

/**
 * The object UUID of a finding from one source: derived from what identifies
 * it (source, detectors, addresses, protocol, signature, first-seen time), not
 * from what grows (count, ports, last-seen), so the same log read twice gives
 * the same UUIDs.
 */
export function findingUuid(source: string, f: Finding): string {
  return stableUuid('finding', source, findingDetectors(f).join(','), f.srcIp, f.dstIp, f.protocol, f.signature ?? '', f.signatureId ?? '', new Date(Date.parse(f.firstSeen)).toISOString());
}

/** The UUID of the event holding one source's findings of one UTC day. */
export function findingEventUuid(source: string, day: string): string {
  return stableUuid('findings-event', source, day);
}
