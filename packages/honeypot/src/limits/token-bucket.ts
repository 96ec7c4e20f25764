/** Per-key token buckets: `capacity` tokens refilled evenly over one minute. */
export interface RateLimiter {
  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean;
  /** Keys currently tracked (bounded by pruning full buckets). */
  size(): number;
}

/** Creates a rate limiter allowing `perMinute` events per key per minute, bursts up to `perMinute`. */
export function createRateLimiter(perMinute: number, now: () => number, maxKeys = 100_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  const prune = (t: number): void => {
    for (const [key, b] of buckets) {
      if (b.tokens + (t - b.at) * perMs >= perMinute) buckets.delete(key);
    }
  };
  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        // Bounded memory: full buckets carry no information and can be forgotten.
        if (buckets.size >= maxKeys) prune(t);
        if (buckets.size >= maxKeys) return false;
        bucket = { tokens: perMinute, at: t };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);
        bucket.at = t;
      }
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    size: () => buckets.size,
  };
}
