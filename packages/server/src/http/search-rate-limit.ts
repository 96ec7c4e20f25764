import { ForbiddenError, RateLimitedError } from '@waggle/errors';
import type { Principal } from '@waggle/core';

/** MISP's window: a role's `rate_limit_count` searches per user every 15 minutes. */
const WINDOW_SECONDS = 900;

/** What a user has left of its search allowance (MISP's X-Rate-Limit-* headers). */
export interface RateAllowance {
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window ends and the count starts over. */
  readonly reset: number;
}

/** Counts restSearch calls per user for roles that enforce a limit. */
export interface SearchRateLimiter {
  /**
   * Counts one search of `p`: undefined when its role enforces no limit, else the allowance left.
   * Throws {@link RateLimitedError} past the limit (nothing counted), and ForbiddenError when the
   * role's limit is 0 (searches not allowed).
   */
  take(p: Principal): RateAllowance | undefined;
}

/**
 * MISP's RateLimitComponent: for a role with `enforce_rate_limit`, `events/restSearch` and
 * `attributes/restSearch` are limited to `rate_limit_count` calls per user in a 15-minute window
 * that starts with the first call. Counts are kept in this process (MISP keeps them in Redis),
 * so several waggle processes on one store each count their own.
 */
export function createSearchRateLimiter(now: () => number = () => Math.floor(Date.now() / 1000)): SearchRateLimiter {
  const windows = new Map<number, { start: number; count: number }>();
  return {
    take(p) {
      if (!p.role.enforce_rate_limit) return undefined;
      const limit = p.role.rate_limit_count;
      if (limit <= 0) throw new ForbiddenError('API searches are not allowed for this user role.');
      const t = now();
      if (windows.size > 10_000) for (const [id, w] of windows) if (t - w.start >= WINDOW_SECONDS) windows.delete(id);
      let w = windows.get(p.user.id);
      if (w === undefined || t - w.start >= WINDOW_SECONDS) {
        w = { start: t, count: 0 };
        windows.set(p.user.id, w);
      }
      const reset = WINDOW_SECONDS - (t - w.start);
      if (w.count >= limit) throw new RateLimitedError('Rate limit exceeded.', { limit, remaining: 0, reset });
      w.count += 1;
      return { limit, remaining: limit - w.count, reset };
    },
  };
}

/** The headers MISP sends with a rate-limited call (and with its refusal, plus Retry-After). */
export function rateLimitHeaders(a: RateAllowance): Record<string, string> {
  return { 'x-rate-limit-limit': String(a.limit), 'x-rate-limit-remaining': String(a.remaining), 'x-rate-limit-reset': String(a.reset) };
}
