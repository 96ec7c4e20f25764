import type { Limits } from '../service.js';
import { createRateLimiter } from './token-bucket.js';

/** Why a connection was refused. */
export type RejectReason = 'max_connections' | 'max_connections_per_ip' | 'rate_limited';

/** The verdict on a new connection: a release function, or the reason for refusal. */
export type Admission = { ok: true; release: () => void } | { ok: false; reason: RejectReason };

/** Global and per-address concurrency caps plus a per-address rate limit. */
export interface ConnectionLimiter {
  admit(ip: string): Admission;
  active(): number;
  activeFor(ip: string): number;
}

/** Creates the limiter every service puts in front of its sessions. */
export function createConnectionLimiter(
  limits: Pick<Limits, 'maxConnections' | 'maxConnectionsPerIp' | 'ratePerIpPerMinute'>,
  now: () => number,
): ConnectionLimiter {
  const perIp = new Map<string, number>();
  const rate = createRateLimiter(limits.ratePerIpPerMinute, now);
  let total = 0;
  return {
    admit(ip) {
      if (total >= limits.maxConnections) return { ok: false, reason: 'max_connections' };
      const current = perIp.get(ip) ?? 0;
      if (current >= limits.maxConnectionsPerIp) return { ok: false, reason: 'max_connections_per_ip' };
      if (!rate.take(ip)) return { ok: false, reason: 'rate_limited' };
      total += 1;
      perIp.set(ip, current + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total -= 1;
          const left = (perIp.get(ip) ?? 1) - 1;
          if (left <= 0) perIp.delete(ip);
          else perIp.set(ip, left);
        },
      };
    },
    active: () => total,
    activeFor: (ip) => perIp.get(ip) ?? 0,
  };
}
