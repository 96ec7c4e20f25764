import { HttpError, type ApiClient } from '../lib/http.js';
import { percentile, round } from '../lib/stats.js';
import { toMispEvent, type Workload } from './generator.js';

const MAX_ATTEMPTS = 10;

/** Options of one ingest run. */
export interface IngestOptions {
  readonly concurrency: number;
  /** Reads the server process's CPU seconds so far (all threads; undefined: not measured). */
  readonly serverCpuSeconds?: () => number;
  readonly disableCorrelation: boolean;
  readonly requestTimeoutMs: number;
  /** Tags created through `POST /tags/add` before the clock starts. */
  readonly tags: readonly string[];
  /** Stop handing out events after this many seconds (in-flight ones finish); unlimited when undefined. */
  readonly budgetSeconds?: number;
  /** Called about every 10% of the attributes. */
  readonly onProgress?: (done: number, total: number, seconds: number) => void;
}

/** Figures of one ingest run. */
export interface IngestResult {
  /** False when the time budget ran out before every event was sent. */
  readonly complete: boolean;
  readonly events: number;
  readonly attributes: number;
  /** Attributes in the whole workload (more than `attributes` when incomplete). */
  readonly plannedAttributes: number;
  readonly concurrency: number;
  readonly correlation: boolean;
  readonly seconds: number;
  readonly attributesPerSecond: number;
  /** Rate after half of the attributes were stored (the database already half full). */
  readonly secondHalfAttributesPerSecond: number;
  /** Rate per tenth of the attributes, in order: shows whether ingest slows as the database grows. */
  readonly ratePerTenth: readonly number[];
  readonly eventLatencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  /** Latency of the largest event, with its size. */
  readonly largestEvent: { readonly attributes: number; readonly ms: number };
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** Requests repeated because the server answered with a retryable error (e.g. a deadlock). */
  readonly retries: number;
  readonly retryReasons: readonly string[];
  /** Seconds spent building request bodies before the clock started. */
  readonly prepareSeconds: number;
  /**
   * CPU seconds (user + system, all threads) the server process used during the ingest, when
   * `serverCpuSeconds` was given: a steadier figure than the rate on a shared VM, for comparing code.
   */
  readonly serverCpuSeconds?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Rates between successive tenths of `total` from (time, cumulative attributes) points. */
function tenths(points: readonly { at: number; attributes: number }[], start: number, total: number): number[] {
  const out: number[] = [];
  let prev = { at: start, attributes: 0 };
  for (let k = 1; k <= 10; k++) {
    const p = points.find((c) => c.attributes >= (total * k) / 10);
    if (p === undefined) break;
    if (p.attributes > prev.attributes) out.push(Math.round((p.attributes - prev.attributes) / ((p.at - prev.at) / 1000)));
    prev = p;
  }
  return out;
}

/**
 * Posts every event of the workload to `POST /events/add` from `concurrency`
 * clients. Request bodies are serialised and tags created before the clock
 * starts, so the figure is the server's (plus HTTP), not the generator's.
 */
export async function ingest(client: ApiClient, workload: Workload, options: IngestOptions): Promise<IngestResult> {
  // A site has its taxonomies loaded before data arrives; creating tags first also
  // keeps concurrent first uses of a new tag from racing on its unique name.
  for (const name of options.tags) await client.postText('/tags/add', { Tag: { name } }, options.requestTimeoutMs);
  const prepStart = performance.now();
  const bodies: Buffer[] = [];
  for (const e of workload.events()) bodies.push(Buffer.from(JSON.stringify(toMispEvent(e, { disableCorrelation: options.disableCorrelation }))));
  const prepareSeconds = (performance.now() - prepStart) / 1000;
  const requestBytes = bodies.reduce((s, b) => s + b.length, 0);
  const sizes = workload.eventSizes;
  const planned = sizes.reduce((s, n) => s + n, 0);
  const latencies: number[] = [];
  const latencyByEvent = new Map<number, number>();
  const completions: { at: number; attributes: number }[] = [];
  const retryReasons = new Set<string>();
  let next = 0;
  let done = 0;
  let eventsDone = 0;
  let responseBytes = 0;
  let retries = 0;
  let stopped = false;
  let nextReport = planned / 10;
  const cpuAtStart = options.serverCpuSeconds?.();
  const start = performance.now();
  const deadline = options.budgetSeconds === undefined ? Number.POSITIVE_INFINITY : start + options.budgetSeconds * 1000;

  // The server marks conflicts it expects to clear (deadlocks, busy database) as
  // retryable; a well-behaved client repeats the request after a pause, as this one does.
  async function post(body: Buffer): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.postText('/events/add', body, options.requestTimeoutMs);
      } catch (error) {
        if (!(error instanceof HttpError) || !error.retryable || attempt >= MAX_ATTEMPTS) throw error;
        retries++;
        retryReasons.add(error.message.replace(/^POST \S+: /, '').slice(0, 200));
        await sleep(Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random()));
      }
    }
  }

  async function worker(): Promise<void> {
    while (!stopped) {
      if (performance.now() > deadline) {
        stopped = true;
        return;
      }
      const i = next++;
      const body = bodies[i];
      if (body === undefined) return;
      const t0 = performance.now();
      let text: string;
      try {
        text = await post(body);
      } catch (error) {
        stopped = true;
        throw new Error(`event ${i + 1}/${bodies.length} (${String(sizes[i])} attributes): ${(error as Error).message}`, { cause: error });
      }
      const t1 = performance.now();
      if (!text.startsWith('{"Event"')) throw new Error(`event ${i + 1}: unexpected response ${text.slice(0, 200)}`);
      responseBytes += Buffer.byteLength(text);
      latencies.push(t1 - t0);
      latencyByEvent.set(i, t1 - t0);
      bodies[i] = Buffer.alloc(0);
      done += sizes[i] ?? 0;
      eventsDone++;
      completions.push({ at: t1, attributes: done });
      if (done >= nextReport) {
        options.onProgress?.(done, planned, (t1 - start) / 1000);
        while (nextReport <= done) nextReport += planned / 10;
      }
    }
  }

  const results = await Promise.allSettled(Array.from({ length: Math.max(1, options.concurrency) }, () => worker()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const end = performance.now();
  const cpuAtEnd = options.serverCpuSeconds?.();
  const seconds = (end - start) / 1000;
  const half = completions.find((c) => c.attributes >= done / 2) ?? { at: start, attributes: 0 };
  const largest = sizes.reduce((best, n, i) => (n > (sizes[best] ?? 0) ? i : best), 0);
  return {
    complete: done === planned,
    events: eventsDone,
    attributes: done,
    plannedAttributes: planned,
    concurrency: options.concurrency,
    correlation: !options.disableCorrelation,
    seconds: round(seconds, 2),
    attributesPerSecond: Math.round(done / seconds),
    secondHalfAttributesPerSecond: Math.round((done - half.attributes) / ((end - half.at) / 1000)),
    ratePerTenth: tenths(completions, start, planned),
    eventLatencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(0, ...latencies)) },
    largestEvent: { attributes: sizes[largest] ?? 0, ms: round(latencyByEvent.get(largest) ?? Number.NaN) },
    requestBytes,
    responseBytes,
    retries,
    retryReasons: [...retryReasons],
    ...(cpuAtStart !== undefined && cpuAtEnd !== undefined ? { serverCpuSeconds: round(cpuAtEnd - cpuAtStart, 2) } : {}),
    prepareSeconds: round(prepareSeconds, 2),
  };
}
