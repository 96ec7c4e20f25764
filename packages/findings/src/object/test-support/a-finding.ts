import type { Finding } from '../../finding.js';

/** A valid finding (an SSH brute force seen by suricata), with `overrides` applied. */
export function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    srcIp: '203.0.113.7',
    srcPort: 51234,
    dstIp: '192.0.2.10',
    dstPort: 22,
    protocol: 'tcp',
    firstSeen: '2026-12-02T10:00:00.000Z',
    lastSeen: '2026-12-02T10:04:30.000Z',
    signature: 'ET SCAN Potential SSH Scan',
    signatureId: '2001219',
    count: 240,
    attackType: { suricata: { version: '7.0.8', reference: 'sid:2001219', attacks: [{ attack_type: 'ssh-brute-force', confidence: 0.8 }] } },
    ...overrides,
  };
}
