/** Samples the process's resident set size at a fixed interval and keeps the peak. */
export interface RssSampler {
  /** Stops sampling; returns the peak and the number of samples taken. */
  stop(): { peakBytes: number; samples: number; startBytes: number };
}

/**
 * Starts sampling `process.memoryUsage().rss` every `intervalMs`. The sampler
 * shares the event loop with the server, so a long synchronous stretch delays
 * a sample; the kernel's high-water mark (`resourceUsage().maxRSS`) is
 * reported beside it as a cross-check.
 */
export function startRssSampler(intervalMs = 100): RssSampler {
  const startBytes = process.memoryUsage().rss;
  let peak = startBytes;
  let samples = 1;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    samples++;
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const rss = process.memoryUsage().rss;
      if (rss > peak) peak = rss;
      return { peakBytes: peak, samples: samples + 1, startBytes };
    },
  };
}
