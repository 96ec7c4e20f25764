import { describe, expect, it } from 'vitest';
import { ForbiddenError, RateLimitedError } from '@waggle/errors';
import type { Principal } from '@waggle/core';
import { createSearchRateLimiter } from './search-rate-limit.js';

const principal = (userId: number, enforce: boolean, count: number): Principal =>
  ({ user: { id: userId }, role: { enforce_rate_limit: enforce, rate_limit_count: count } }) as unknown as Principal;

describe('search rate limiter (MISP RateLimitComponent)', () => {
  it('counts per user in a 15-minute window from the first call, and refuses past the limit', () => {
    let now = 1_000;
    const limiter = createSearchRateLimiter(() => now);
    const ann = principal(1, true, 2);
    expect(limiter.take(ann)).toEqual({ limit: 2, remaining: 1, reset: 900 });
    now += 100;
    expect(limiter.take(ann)).toEqual({ limit: 2, remaining: 0, reset: 800 });
    expect(() => limiter.take(ann)).toThrow(RateLimitedError);
    try {
      limiter.take(ann);
    } catch (e) {
      expect((e as RateLimitedError).details).toMatchObject({ limit: 2, remaining: 0, reset: 800 });
      expect((e as RateLimitedError).retryable).toBe(true);
    }
    // Another user has its own allowance; a role without enforcement is not counted.
    expect(limiter.take(principal(2, true, 2))?.remaining).toBe(1);
    expect(limiter.take(principal(3, false, 0))).toBeUndefined();
    // The window ends 900 s after its first call: a new one starts.
    now = 1_900;
    expect(limiter.take(ann)).toEqual({ limit: 2, remaining: 1, reset: 900 });
  });

  it('refuses every search for an enforcing role whose limit is 0', () => {
    expect(() => createSearchRateLimiter(() => 0).take(principal(1, true, 0))).toThrow(ForbiddenError);
  });
});
