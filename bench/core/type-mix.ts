import type { Prng } from './prng.js';
import * as v from './values.js';

/** One attribute type of the workload: how often it occurs and how its values look. */
export interface TypeSpec {
  readonly type: string;
  /** Share of all attributes, in per mille (the table sums to 1000). */
  readonly weight: number;
  readonly make: v.ValueFactory;
}

const hash = (length: number): v.ValueFactory => (r: Prng) => r.hex(length);

/**
 * The type mix: network indicators and file hashes dominate, as in public
 * MISP feeds (CIRCL OSINT, abuse.ch), with composites and free text mixed in.
 */
export const TYPE_MIX: readonly TypeSpec[] = [
  { type: 'ip-dst', weight: 150, make: v.ipValue },
  { type: 'ip-src', weight: 70, make: v.ipValue },
  { type: 'domain', weight: 120, make: v.domain },
  { type: 'hostname', weight: 60, make: v.hostname },
  { type: 'url', weight: 100, make: v.url },
  { type: 'md5', weight: 80, make: hash(32) },
  { type: 'sha1', weight: 50, make: hash(40) },
  { type: 'sha256', weight: 100, make: hash(64) },
  { type: 'filename', weight: 50, make: v.fileName },
  { type: 'email-src', weight: 30, make: v.emailAddress },
  { type: 'ip-dst|port', weight: 40, make: (r) => `${v.ipv4(r)}|${v.portNumber(r)}` },
  { type: 'domain|ip', weight: 30, make: (r) => `${v.domain(r)}|${v.ipv4(r)}` },
  { type: 'filename|sha256', weight: 30, make: (r) => `${v.fileName(r)}|${r.hex(64)}` },
  { type: 'vulnerability', weight: 20, make: v.cve },
  { type: 'text', weight: 20, make: v.freeText },
  { type: 'comment', weight: 20, make: v.freeText },
  { type: 'AS', weight: 10, make: v.asNumber },
  { type: 'link', weight: 10, make: v.link },
  { type: 'regkey', weight: 10, make: v.registryKey },
];

const TOTAL = TYPE_MIX.reduce((s, t) => s + t.weight, 0);

/** Draws a type according to the mix. */
export function pickType(r: Prng): TypeSpec {
  let x = r.next() * TOTAL;
  for (const spec of TYPE_MIX) {
    x -= spec.weight;
    if (x < 0) return spec;
  }
  return TYPE_MIX[TYPE_MIX.length - 1] as TypeSpec;
}

/** Share (0..1) of a type in the mix. */
export function typeShare(spec: TypeSpec): number {
  return spec.weight / TOTAL;
}

/** TLP markings with their share of events. */
export const TLP_TAGS: readonly { readonly name: string; readonly share: number }[] = [
  { name: 'tlp:white', share: 0.15 },
  { name: 'tlp:green', share: 0.5 },
  { name: 'tlp:amber', share: 0.3 },
  { name: 'tlp:red', share: 0.05 },
];

/** Other event tags (galaxy clusters and taxonomies); each event gets 0-3 of them. */
export const CONTEXT_TAGS: readonly string[] = [
  'misp-galaxy:threat-actor="APT28"',
  'misp-galaxy:threat-actor="Lazarus Group"',
  'misp-galaxy:threat-actor="FIN7"',
  'misp-galaxy:threat-actor="Sandworm"',
  'misp-galaxy:malpedia="Emotet"',
  'misp-galaxy:malpedia="Cobalt Strike"',
  'misp-galaxy:malpedia="QakBot"',
  'misp-galaxy:malpedia="LockBit"',
  'misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"',
  'misp-galaxy:mitre-attack-pattern="Command and Scripting Interpreter - T1059"',
  'misp-galaxy:mitre-attack-pattern="Exfiltration Over C2 Channel - T1041"',
  'misp-galaxy:ransomware="Conti"',
  'osint:source-type="blog-post"',
  'osint:source-type="technical-report"',
  'admiralty-scale:source-reliability="b"',
  'admiralty-scale:information-credibility="2"',
  'circl:incident-classification="malware"',
  'circl:incident-classification="phishing"',
  'pap:GREEN',
  'workflow:state="complete"',
  'type:OSINT',
  'estimative-language:likelihood-probability="likely"',
];
