import { ATTACK_TYPES, BASE_ATTACK_MIX, type AttackType } from './attacks.js';
import { BASE_BENIGN_MIX, BENIGN_KINDS, type BenignKind, type BenignProfile } from './benign.js';
import { normal } from './distributions.js';
import { createRng } from './rng.js';

/** What changes from one chunk to the next. */
export interface ChunkProfile {
  readonly benign: BenignProfile;
  /** Share of each attack type among attack flows (only the enabled types). */
  readonly attackMix: Readonly<Partial<Record<AttackType, number>>>;
  /** Multiplies campaign lengths: higher means longer scans, floods and brute-force runs. */
  readonly intensity: number;
}

/**
 * The profile of a chunk. Chunk 0 keeps the base mixes; every later chunk multiplies each share by
 * `exp(drift · z)` with z drawn from the seed and chunk index, moves web tail weight and sizes, and
 * scales campaign intensity, so consecutive chunks differ the way traffic does from week to week.
 */
export function chunkProfile(seed: number | string, chunk: number, drift: number, attacks: readonly AttackType[]): ChunkProfile {
  const rng = createRng(seed, 'drift', chunk);
  const amount = chunk === 0 ? 0 : drift;
  const mix = {} as Record<BenignKind, number>;
  for (const kind of BENIGN_KINDS) mix[kind] = BASE_BENIGN_MIX[kind] * Math.exp(amount * normal(rng));
  const attackMix: Partial<Record<AttackType, number>> = {};
  for (const type of ATTACK_TYPES) {
    const z = normal(rng);
    if (attacks.includes(type)) attackMix[type] = BASE_ATTACK_MIX[type] * Math.exp(amount * 1.5 * z);
  }
  return {
    benign: {
      mix,
      webTailAlpha: Math.min(2, Math.max(0.9, 1.2 + amount * 0.2 * normal(rng))),
      sizeShift: amount * 0.3 * normal(rng),
    },
    attackMix,
    intensity: Math.exp(amount * 0.5 * normal(rng)),
  };
}
