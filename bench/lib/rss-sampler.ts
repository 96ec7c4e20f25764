import { readFileSync } from 'node:fs';

/** Samples the process's resident set size at a fixed interval and keeps the peak. */
export interface RssSampler {
  /** Stops sampling; returns the peak and the number of samples taken. */
  stop(): { peakBytes: number; samples: number; startBytes: number };
}

/**
 * Starts sampling `process.memoryUsage().rss` (or, with `pid`, another
 * process's RSS from /proc) every `intervalMs`. The sampler
 * shares the event loop with the server, so a long synchronous stretch delays
 * a sample; the kernel's high-water mark (`resourceUsage().maxRSS`) is
 * reported beside it as a cross-check.
 */
export function startRssSampler(intervalMs = 100, pid?: number): RssSampler {
  const read = pid === undefined ? () => process.memoryUsage().rss : () => residentBytes(pid);
  const startBytes = read();
  let peak = startBytes;
  let samples = 1;
  const timer = setInterval(() => {
    const rss = read();
    samples++;
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const rss = read();
      if (rss > peak) peak = rss;
      return { peakBytes: peak, samples: samples + 1, startBytes };
    },
  };
}

/** Resident set size of another process (Linux: /proc/PID/statm, in pages of 4 KiB); 0 once it has gone. */
function residentBytes(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${String(pid)}/statm`, 'utf8').split(' ');
    return Number(fields[1]) * 4096;
  } catch {
    return 0;
  }
}
