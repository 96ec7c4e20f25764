import { InputError } from '@waggle/errors';
import { validateAttributeValue } from '@waggle/misp';
import type { Finding } from '../finding.js';
import { validateAttackTypeRecord } from '../record/attack-type-record.js';

/** Protocols a finding may name (the `protocol` values_list of the template). */
export const FINDING_PROTOCOLS: readonly Finding['protocol'][] = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'gre', 'esp', 'ah', 'igmp', 'other'];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function check(type: string, value: string, field: string): void {
  const verdict = validateAttributeValue(type, value);
  if (!verdict.ok) throw new InputError(`finding.${field}: ${verdict.reason} (got ${JSON.stringify(value)})`, { field });
}

function port(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new InputError(`finding.${field} must be an integer port between 1 and 65535 (got ${JSON.stringify(value)})`, { field });
  }
}

function time(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new InputError(`finding.${field} must be an ISO 8601 time (got ${JSON.stringify(value)})`, { field });
  return ms;
}

/**
 * Checks a finding before it becomes an object, so a bad finding fails here
 * with the field named instead of half-way through a server request.
 */
export function validateFinding(f: Finding): void {
  if (typeof f !== 'object' || f === null) throw new InputError('finding must be an object', { field: 'finding' });
  check('ip-src', String(f.srcIp), 'srcIp');
  check('ip-dst', String(f.dstIp), 'dstIp');
  if (f.srcPort !== undefined) port(f.srcPort, 'srcPort');
  if (f.dstPort !== undefined) port(f.dstPort, 'dstPort');
  if (f.dstPorts !== undefined) {
    if (!Array.isArray(f.dstPorts)) throw new InputError('finding.dstPorts must be an array of ports', { field: 'dstPorts' });
    f.dstPorts.forEach((p, i) => port(p, `dstPorts[${String(i)}]`));
  }
  if (!FINDING_PROTOCOLS.includes(f.protocol)) throw new InputError(`finding.protocol must be one of ${FINDING_PROTOCOLS.join(', ')} (got ${JSON.stringify(f.protocol)})`, { field: 'protocol' });
  const first = time(f.firstSeen, 'firstSeen');
  const last = time(f.lastSeen, 'lastSeen');
  if (first > last) throw new InputError('finding.firstSeen is after finding.lastSeen', { field: 'firstSeen' });
  if (!Number.isSafeInteger(f.count) || f.count < 1) throw new InputError(`finding.count must be a positive integer (got ${JSON.stringify(f.count)})`, { field: 'count' });
  validateAttackTypeRecord(f.attackType, 'finding.attackType');
  if (f.signature !== undefined && (typeof f.signature !== 'string' || f.signature.trim() === '')) throw new InputError('finding.signature must be a non-empty string', { field: 'signature' });
  if (f.signatureId !== undefined && (typeof f.signatureId !== 'string' || f.signatureId.trim() === '')) throw new InputError('finding.signatureId must be a non-empty string', { field: 'signatureId' });
  if (f.verified !== undefined && typeof f.verified !== 'boolean') throw new InputError('finding.verified must be a boolean', { field: 'verified' });
  if (f.pcap !== undefined) {
    if (typeof f.pcap.filename !== 'string' || f.pcap.filename.trim() === '' || /[\r\n]/.test(f.pcap.filename)) throw new InputError('finding.pcap.filename must be a one-line non-empty string', { field: 'pcap.filename' });
    if (typeof f.pcap.base64 !== 'string' || f.pcap.base64 === '' || !BASE64.test(f.pcap.base64)) throw new InputError('finding.pcap.base64 must be non-empty base64', { field: 'pcap.base64' });
  }
}
