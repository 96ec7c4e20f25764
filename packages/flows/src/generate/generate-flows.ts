import { InputError } from '@waggle/errors';
import type { FlowRecord } from '../flow-record.js';
import { ATTACK_TYPES, CAMPAIGN_SIZE, drawCampaign, type AttackType } from './attacks.js';
import { drawBenign } from './benign.js';
import { clampInt, logNormal, weighted } from './distributions.js';
import { chunkProfile } from './drift.js';
import { createNetwork } from './network.js';
import { createRng } from './rng.js';
import type { FlowDraft } from './shapes.js';

/** Options of {@link generateFlows}. */
export interface GenerateFlowsOptions {
  /** Same seed, same options → identical flows. */
  readonly seed: number | string;
  /** Number of flows. */
  readonly count: number;
  /** Chunk index ≥ 0; each chunk is a later day with drifted benign and attack mixes. Default 0. */
  readonly chunk?: number;
  /** Share of attack flows, 0–1. Default 0.1. */
  readonly attackRatio?: number;
  /** Probability that a flow's label is flipped, 0–1. Default 0. */
  readonly labelNoise?: number;
  /** The attack types to draw (default all). */
  readonly attacks?: readonly AttackType[];
  /** Strength of the drift between chunks, ≥ 0. Default 0.5. */
  readonly drift?: number;
  /** Start of chunk 0, epoch ms. Default 2026-12-01T00:00:00Z; chunk k starts k days later. */
  readonly startMs?: number;
  /** Mean benign flows per second, > 0. Default 50. */
  readonly flowsPerSecond?: number;
}

/** Flows are drawn in blocks of this many, each block from its own random stream and sorted by time. */
export const GENERATOR_BLOCK = 4096;
const DAY_MS = 86_400_000;
const DEFAULT_START = Date.UTC(2026, 11, 1);

interface Resolved {
  seed: number | string;
  count: number;
  chunk: number;
  attackRatio: number;
  labelNoise: number;
  attacks: readonly AttackType[];
  drift: number;
  startMs: number;
  flowsPerSecond: number;
}

function fraction(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new InputError(`${field} must be between 0 and 1, got ${v}`, { field });
  return v;
}

function resolve(o: GenerateFlowsOptions): Resolved {
  if (typeof o.seed === 'number' ? !Number.isFinite(o.seed) : typeof o.seed !== 'string') {
    throw new InputError('seed must be a finite number or a string', { field: 'seed' });
  }
  if (!Number.isSafeInteger(o.count) || o.count < 0) throw new InputError(`count must be an integer >= 0, got ${o.count}`, { field: 'count' });
  const chunk = o.chunk ?? 0;
  if (!Number.isSafeInteger(chunk) || chunk < 0) throw new InputError(`chunk must be an integer >= 0, got ${chunk}`, { field: 'chunk' });
  const attacks = o.attacks ?? ATTACK_TYPES;
  const unknown = attacks.filter((a) => !ATTACK_TYPES.includes(a));
  if (unknown.length > 0) throw new InputError(`unknown attack types: ${unknown.join(', ')} (known: ${ATTACK_TYPES.join(', ')})`, { field: 'attacks' });
  const attackRatio = fraction(o.attackRatio, 0.1, 'attackRatio');
  if (attacks.length === 0 && attackRatio > 0) throw new InputError('attacks is empty but attackRatio is above 0', { field: 'attacks' });
  const drift = o.drift ?? 0.5;
  if (!Number.isFinite(drift) || drift < 0) throw new InputError(`drift must be >= 0, got ${drift}`, { field: 'drift' });
  const flowsPerSecond = o.flowsPerSecond ?? 50;
  if (!Number.isFinite(flowsPerSecond) || flowsPerSecond <= 0) throw new InputError(`flowsPerSecond must be > 0, got ${flowsPerSecond}`, { field: 'flowsPerSecond' });
  const startMs = o.startMs ?? DEFAULT_START;
  if (!Number.isFinite(startMs)) throw new InputError('startMs must be a finite number', { field: 'startMs' });
  return { seed: o.seed, count: o.count, chunk, attackRatio, labelNoise: fraction(o.labelNoise, 0, 'labelNoise'), attacks, drift, startMs, flowsPerSecond };
}

function label(draft: FlowDraft, attackType: string, truth: 0 | 1, flip: boolean): FlowRecord {
  return { ...draft, label: flip ? ((1 - truth) as 0 | 1) : truth, attackType };
}

/**
 * Iterates synthetic labelled flows: heavy-tailed benign traffic (web, TLS, DNS, NTP, SSH, SMB, mail)
 * mixed with attack campaigns that follow real mechanics (see README). Deterministic: the same
 * options give the same flows, and a prefix of a longer run equals a shorter run in whole blocks.
 * `attackType` always names the mechanism that produced a flow; with `labelNoise` the label may
 * disagree with it, as noisy labels in real datasets do. Invalid options are an InputError.
 */
export function iterateFlows(options: GenerateFlowsOptions): Generator<FlowRecord> {
  // Options are checked now, not at the first next(), so a bad call fails where it is made.
  return flowBlocks(resolve(options));
}

function* flowBlocks(o: Resolved): Generator<FlowRecord> {
  const net = createNetwork(createRng(o.seed, 'network'));
  const profile = chunkProfile(o.seed, o.chunk, o.drift, o.attacks);
  const chunkStart = o.startMs + o.chunk * DAY_MS;
  const blockSpan = (GENERATOR_BLOCK / o.flowsPerSecond) * 1000;
  let attacksSoFar = 0;
  for (let block = 0, done = 0; done < o.count; block += 1) {
    const size = Math.min(GENERATOR_BLOCK, o.count - done);
    const rng = createRng(o.seed, 'flows', o.chunk, block);
    const t0 = chunkStart + block * blockSpan;
    const span = (size / o.flowsPerSecond) * 1000;
    const attackBudget = Math.round((done + size) * o.attackRatio) - attacksSoFar;
    const out: FlowRecord[] = [];
    let attackCount = 0;
    while (attackCount < attackBudget) {
      const type = weighted(rng, profile.attackMix as Record<AttackType, number>);
      const [min, max] = CAMPAIGN_SIZE[type];
      const wanted = clampInt(logNormal(rng, Math.log(Math.sqrt(min * max)), 0.6) * profile.intensity, min, max * 2);
      const flows = drawCampaign(type, { rng, net, ts: t0 + rng.next() * span }, Math.min(wanted, attackBudget - attackCount));
      for (const f of flows) out.push(label(f, type, 1, rng.chance(o.labelNoise)));
      attackCount += flows.length;
    }
    for (let i = attackCount; i < size; i += 1) {
      const kind = weighted(rng, profile.benign.mix);
      out.push(label(drawBenign(kind, { rng, net, ts: t0 + rng.next() * span }, profile.benign), 'benign', 0, rng.chance(o.labelNoise)));
    }
    out.sort((a, b) => a.ts - b.ts);
    for (const flow of out) yield { ...flow, ts: Math.round(flow.ts), durationMs: Math.round(flow.durationMs * 1000) / 1000 };
    attacksSoFar += attackCount;
    done += size;
  }
}

/** Generates `count` synthetic labelled flows at once; see {@link iterateFlows}. */
export function generateFlows(options: GenerateFlowsOptions): FlowRecord[] {
  return [...iterateFlows(options)];
}
