import type { Observation } from '../observation.js';
import { sectionOf, type EveCommon } from './eve-event.js';

// Suricata classtype descriptions (classification.config) → waggle attack types.
const CATEGORY: ReadonlyArray<readonly [RegExp, string]> = [
  [/network scan|information leak|reconnaissance/i, 'scan'],
  [/denial of service/i, 'dos'],
  [/web application attack/i, 'web-attack'],
  [/command and control/i, 'c2'],
  [/trojan|malware/i, 'malware'],
  [/exploit kit/i, 'exploit-kit'],
  [/crypto ?currency mining/i, 'coin-mining'],
  [/successful (administrator|user) privilege gain/i, 'compromise'],
  [/unsuccessful user privilege gain|suspicious login|default username and password/i, 'brute-force'],
  [/privilege gain/i, 'exploit'],
  [/executable code|shellcode/i, 'shellcode'],
  [/policy violation|inappropriate content/i, 'policy-violation'],
  [/protocol command decode|not suspicious|unknown traffic|misc activity|potentially bad/i, 'suspicious-traffic'],
  [/attack/i, 'attack'],
];

// Signature wording is a better hint than the classtype for the commonest cases.
const SIGNATURE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bscan/i, 'scan'],
  [/brute ?force|password guess|login attempt/i, 'brute-force'],
  [/sql injection/i, 'sql-injection'],
];

/** The attack type for an alert's signature and category. */
export function attackTypeOfAlert(signature: string, category: string): string {
  for (const [re, type] of SIGNATURE) if (re.test(signature)) return type;
  for (const [re, type] of CATEGORY) if (re.test(category)) return type;
  return 'unknown';
}

/** Suricata severity 1 (high) to 3 (low), and 4 for `not suspicious`, as a confidence. */
export function confidenceOfSeverity(severity: unknown): number {
  switch (severity) {
    case 1:
      return 0.9;
    case 2:
      return 0.7;
    case 3:
      return 0.5;
    default:
      return 0.3;
  }
}

/**
 * An EVE `alert` record as an observation, or an error reason when it lacks
 * what a finding needs (addresses, signature). `version` is the detector
 * version to record (EVE lines do not carry Suricata's version).
 */
export function alertToObservation(event: EveCommon, version: string): Observation | string {
  const alert = sectionOf(event, 'alert');
  const signature = typeof alert.signature === 'string' ? alert.signature : '';
  if (signature === '') return 'alert without alert.signature';
  if (event.srcIp === undefined || event.destIp === undefined) return 'alert without src_ip/dest_ip';
  const sid = typeof alert.signature_id === 'number' ? String(alert.signature_id) : undefined;
  const gid = typeof alert.gid === 'number' ? alert.gid : 1;
  const rev = typeof alert.rev === 'number' ? alert.rev : undefined;
  const category = typeof alert.category === 'string' ? alert.category : '';
  return {
    ts: event.ts,
    srcIp: event.srcIp,
    dstIp: event.destIp,
    protocol: event.proto,
    signature,
    detector: 'suricata',
    detectorVersion: version,
    attackType: attackTypeOfAlert(signature, category),
    confidence: confidenceOfSeverity(alert.severity),
    ...(sid === undefined ? {} : { signatureId: sid, reference: `gid:${String(gid)} sid:${sid}${rev === undefined ? '' : ` rev:${String(rev)}`}` }),
    ...(event.srcPort === undefined ? {} : { srcPort: event.srcPort }),
    ...(event.destPort === undefined ? {} : { dstPort: event.destPort }),
    ...(event.flowId === undefined ? {} : { flowId: event.flowId }),
  };
}
