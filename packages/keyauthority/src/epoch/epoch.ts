import { InputError } from '@waggle/errors';
import { parsePolicy, printPolicy } from '@waggle/abe';

/** How long one epoch lasts: a calendar month or a calendar day, in UTC. */
export type EpochPeriod = 'month' | 'day';

/** One epoch: its label (`2026-12` or `2026-12-02`), the attribute keys carry, and its window. */
export interface Epoch {
  readonly label: string;
  readonly attribute: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function build(period: EpochPeriod, y: number, m: number, d: number): Epoch {
  // Date.UTC normalises out-of-range months and days (month −1 is December of the year before).
  const startsAt = new Date(Date.UTC(y, m, period === 'month' ? 1 : d));
  const [sy, sm, sd] = [startsAt.getUTCFullYear(), startsAt.getUTCMonth(), startsAt.getUTCDate()];
  const endsAt = new Date(Date.UTC(sy, period === 'month' ? sm + 1 : sm, period === 'month' ? 1 : sd + 1));
  const label = period === 'month' ? `${pad(sy, 4)}-${pad(sm + 1)}` : `${pad(sy, 4)}-${pad(sm + 1)}-${pad(sd)}`;
  return { label, attribute: `epoch:${label}`, startsAt, endsAt };
}

/** The epoch that contains `at`. */
export function epochAt(period: EpochPeriod, at: Date): Epoch {
  return build(period, at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

/** Parses an epoch label of the given period; `InputError` when it is malformed. */
export function parseEpoch(period: EpochPeriod, label: string): Epoch {
  const m = (period === 'month' ? MONTH : DAY).exec(label);
  const year = Number(m?.[1]);
  const month = Number(m?.[2]) - 1;
  const day = period === 'month' ? 1 : Number(m?.[3]);
  const epoch = m === null ? undefined : build(period, year, month, day);
  if (epoch?.label !== label) {
    throw new InputError(`epoch: expected ${period === 'month' ? 'YYYY-MM' : 'YYYY-MM-DD'}, got ${JSON.stringify(label)}`, { field: 'epoch' });
  }
  return epoch;
}

/** The epoch `steps` periods before `epoch` (steps ≥ 0). */
export function epochBefore(period: EpochPeriod, epoch: Epoch, steps: number): Epoch {
  const s = epoch.startsAt;
  return period === 'month'
    ? build(period, s.getUTCFullYear(), s.getUTCMonth() - steps, 1)
    : epochAt(period, new Date(Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), s.getUTCDate() - steps)));
}

/**
 * Restricts a policy to holders of keys for one epoch: `(policy) AND epoch:<label>`, in
 * canonical form. Encryptors call it with the authority's current epoch (`GET /epoch`) so
 * that keys of revoked users stop working once their epoch ends.
 */
export function withEpoch(policy: string, epochAttribute: string): string {
  if (!/^epoch:[0-9-]+$/.test(epochAttribute)) throw new InputError(`epoch attribute must look like "epoch:2026-12", got ${JSON.stringify(epochAttribute)}`, { field: 'epoch' });
  parsePolicy(policy);
  return printPolicy(parsePolicy(`(${policy}) AND ${epochAttribute}`));
}
