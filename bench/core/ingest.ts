import { HttpError, type ApiClient } from '../lib/http.js';
import { percentile, round } from '../lib/stats.js';
import { toMispEvent, type Workload } from './generator.js';

const MAX_ATTEMPTS = 5;

/** Options of one ingest run. */
export interface IngestOptions {
  readonly concurrency: number;
  readonly disableCorrelation: boolean;
  readonly requestTimeoutMs: number;
  /** Tags created through `POST /tags/add` before the clock starts. */
  readonly tags: readonly string[];
  /** Called about every 10% of the attributes. */
  readonly onProgress?: (done: number, total: number, seconds: number) => void;
}

/** Figures of one ingest run. */
export interface IngestResult {
  readonly events: number;
  readonly attributes: number;
  readonly concurrency: number;
  readonly correlation: boolean;
  readonly seconds: number;
  readonly attributesPerSecond: number;
  /** Rate over the second half of the attributes (the database already half full). */
  readonly secondHalfAttributesPerSecond: number;
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
  const sizes = workload.eventSizes;
  const total = sizes.reduce((s, n) => s + n, 0);
  const latencies: number[] = new Array<number>(bodies.length).fill(0);
  const completions: { at: number; attributes: number }[] = [];
  let next = 0;
  let done = 0;
  let responseBytes = 0;
  let nextReport = total / 10;
  let retries = 0;
  const retryReasons = new Set<string>();

  // The server marks conflicts it expects to clear (deadlocks, busy database) as
  // retryable; a well-behaved client repeats the request, as this one does.
  async function post(body: Buffer): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.postText('/events/add', body, options.requestTimeoutMs);
      } catch (error) {
        if (!(error instanceof HttpError) || !error.retryable || attempt >= MAX_ATTEMPTS) throw error;
        retries++;
        retryReasons.add(error.message.replace(/^POST \S+: /, '').slice(0, 200));
        await new Promise((done) => setTimeout(done, 50 * attempt));
      }
    }
  }
  const start = performance.now();

  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      const body = bodies[i];
      if (body === undefined) return;
      const t0 = performance.now();
      let text: string;
      try {
        text = await post(body);
      } catch (error) {
        throw new Error(`event ${i + 1}/${bodies.length} (${String(sizes[i])} attributes): ${(error as Error).message}`, { cause: error });
      }
      const t1 = performance.now();
      if (!text.startsWith('{"Event"')) throw new Error(`event ${i + 1}: unexpected response ${text.slice(0, 200)}`);
      responseBytes += Buffer.byteLength(text);
      latencies[i] = t1 - t0;
      bodies[i] = Buffer.alloc(0);
      done += sizes[i] ?? 0;
      completions.push({ at: t1, attributes: done });
      if (done >= nextReport) {
        options.onProgress?.(done, total, (t1 - start) / 1000);
        while (nextReport <= done) nextReport += total / 10;
      }
    }
  }

  const requestBytes = bodies.reduce((s, b) => s + b.length, 0);
  const workers = Array.from({ length: Math.max(1, options.concurrency) }, () => worker());
  // Stop handing out work after the first failure, but let in-flight requests settle.
  const results = await Promise.allSettled(workers.map((w) => w.catch((error: unknown) => {
    next = bodies.length;
    throw error;
  })));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const end = performance.now();
  const seconds = (end - start) / 1000;
  const half = completions.find((c) => c.attributes >= total / 2) ?? { at: start, attributes: 0 };
  const largest = sizes.reduce((best, n, i) => (n > (sizes[best] ?? 0) ? i : best), 0);
  return {
    events: bodies.length,
    attributes: total,
    concurrency: options.concurrency,
    correlation: !options.disableCorrelation,
    seconds: round(seconds, 2),
    attributesPerSecond: Math.round(total / seconds),
    secondHalfAttributesPerSecond: Math.round((total - half.attributes) / ((end - half.at) / 1000)),
    eventLatencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(...latencies)) },
    largestEvent: { attributes: sizes[largest] ?? 0, ms: round(latencies[largest] ?? 0) },
    requestBytes,
    responseBytes,
    retries,
    retryReasons: [...retryReasons],
    prepareSeconds: round(prepareSeconds, 2),
  };
}
