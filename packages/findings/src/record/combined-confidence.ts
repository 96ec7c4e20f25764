import type { AttackEntry, AttackTypeRecord } from '../finding.js';
import { BENIGN } from './attack-type-record.js';

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** 1 − Π(1 − pᵢ): the chance that at least one of several independent sources is right. */
function noisyOr(ps: readonly number[]): number {
  return 1 - ps.reduce((acc, p) => acc * (1 - p), 1);
}

/**
 * The overall confidence that a finding is an attack, from every detector's
 * entry in the record, rounded to 4 decimals:
 *
 * - each detector `d` contributes `m_d`, the highest confidence among its
 *   non-benign attacks (0 if it has none), and `b_d`, the confidence of its
 *   `benign` attack (0 if it has none);
 * - malicious evidence `M = 1 − Π(1 − m_d)` (noisy-OR: detectors of different
 *   families err independently, so agreement raises confidence);
 * - benign evidence `B = 1 − Π(1 − b_d)`, combined the same way;
 * - result `M × (1 − B)`: a benign verdict lowers the confidence in
 *   proportion to how sure it is, and a sure benign verdict (1) zeroes it.
 *
 * An empty record gives 0. Example: suricata 0.8 alone → 0.8; plus rules
 * agreeing at 0.6 → 0.92; plus rules saying benign at 0.7 instead → 0.24.
 */
export function combinedConfidence(record: AttackTypeRecord): number {
  const malicious: number[] = [];
  const benign: number[] = [];
  for (const entry of Object.values(record)) {
    let m = 0;
    for (const a of entry.attacks) {
      if (a.attack_type === BENIGN) benign.push(a.confidence);
      else m = Math.max(m, a.confidence);
    }
    malicious.push(m);
  }
  return round4(noisyOr(malicious) * (1 - noisyOr(benign)));
}

/**
 * The most likely attack type: for each non-benign attack_type, the noisy-OR
 * of the confidences the detectors gave it; the highest wins, ties broken by
 * name. `undefined` when no detector names an attack (all benign or empty).
 */
export function topAttackType(record: AttackTypeRecord): AttackEntry | undefined {
  const byType = new Map<string, number[]>();
  for (const entry of Object.values(record)) {
    for (const a of entry.attacks) {
      if (a.attack_type === BENIGN) continue;
      const list = byType.get(a.attack_type) ?? [];
      list.push(a.confidence);
      byType.set(a.attack_type, list);
    }
  }
  let best: AttackEntry | undefined;
  for (const [type, cs] of [...byType.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const c = round4(noisyOr(cs));
    if (best === undefined || c > best.confidence) best = { attack_type: type, confidence: c };
  }
  return best;
}
