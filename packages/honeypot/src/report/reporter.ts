import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { isWaggleError } from '@waggle/errors';
import type { HoneypotEvent } from '../log/event.js';
import type { EventSink } from '../service.js';
import { batchToEvent } from './batch-to-event.js';
import type { CowrieRecord } from './cowrie-record.js';
import type { MispClient } from '@waggle/client';
import { sendBatch } from './send-batch.js';
import { createSessionAggregator } from './session-aggregator.js';
import { createSpool, type Spool } from './spool.js';

/** Dependencies and settings of {@link createReporter}. */
export interface ReporterDeps {
  client: MispClient;
  /** Folder of pending batches; survives restarts and server outages. */
  spoolDir: string;
  now: () => Date;
  /** Per-attacker window (default one hour). */
  windowMs?: number;
  /** A session idle this long is reported without its `session.closed` (default 5 min). */
  idleMs?: number;
  /** MISP distribution of created events (default 0, your organisation). */
  distribution?: number;
  readPayload?: (sha256: string) => Buffer | undefined;
  /** First retry delay and cap of the exponential backoff (defaults 1 s and 5 min). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  log?: (message: string) => void;
}

/** Outcome of one {@link Reporter.drain}. */
export interface DrainResult {
  sent: number;
  pending: number;
  rejected: number;
  /** Set when the server could not be reached; the next attempt waits `retryInMs`. */
  error?: string;
  retryInMs?: number;
}

/** Turns honeypot events into MISP events on a waggle (or MISP) server, losing nothing on outages. */
export interface Reporter {
  ingest(record: CowrieRecord | HoneypotEvent): void;
  /** Moves finished sessions (all when `force`) into the spool; returns the batches written. */
  cut(force?: boolean): number;
  /** Sends spooled batches in order until done or the server fails. */
  drain(): Promise<DrainResult>;
  /** Cuts and drains every `intervalMs`, backing off while the server is down. */
  start(intervalMs: number): void;
  /** Stops the timer, spools every open session and tries one last drain. */
  stop(): Promise<DrainResult>;
  /** A sink to put beside the log file so live services report directly. */
  sink(): EventSink;
  readonly spool: Spool;
}

/** Creates a reporter; nothing is sent before `drain` or `start`. */
export function createReporter(deps: ReporterDeps): Reporter {
  const aggregator = createSessionAggregator({ windowMs: deps.windowMs ?? 3_600_000, idleMs: deps.idleMs ?? 300_000 });
  const spool = createSpool(deps.spoolDir, deps.now);
  const base = deps.retryBaseMs ?? 1000;
  const max = deps.retryMaxMs ?? 300_000;
  const log = deps.log ?? ((): void => undefined);
  let failures = 0;
  let nextAttempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<DrainResult> | undefined;

  const reject = (name: string, why: string): void => {
    const dir = join(spool.dir, 'rejected');
    mkdirSync(dir, { recursive: true });
    renameSync(join(spool.dir, name), join(dir, name));
    log(`batch ${name} rejected by the server and moved to ${dir}: ${why}`);
  };

  const drainOnce = async (): Promise<DrainResult> => {
    let sent = 0;
    let rejected = 0;
    for (const name of spool.list()) {
      const batch = spool.read(name);
      try {
        batch.attempts += 1;
        await sendBatch(deps.client, batch, (b) => spool.update(name, b));
        spool.remove(name);
        sent += 1;
        failures = 0;
      } catch (e) {
        // A bad key or missing permission is the operator's to fix: keep the batch and retry.
        if (isWaggleError(e) && !e.retryable && e.code !== 'unauthenticated' && e.code !== 'forbidden') {
          reject(name, e.message);
          rejected += 1;
          continue;
        }
        failures += 1;
        const wait = Math.min(max, base * 2 ** Math.min(failures - 1, 20));
        nextAttempt = deps.now().getTime() + wait;
        spool.update(name, batch);
        return { sent, rejected, pending: spool.list().length, error: (e as Error).message, retryInMs: wait };
      }
    }
    return { sent, rejected, pending: spool.list().length };
  };

  const reporter: Reporter = {
    spool,
    ingest(record) {
      aggregator.add(record as unknown as CowrieRecord);
    },
    cut(force = false) {
      const batches = aggregator.takeReady(deps.now(), force);
      const seen = deps.now().toISOString();
      for (const b of batches) {
        const { event, indicators } = batchToEvent(b, { distribution: deps.distribution ?? 0, ...(deps.readPayload === undefined ? {} : { readPayload: deps.readPayload }) });
        spool.put({ event, indicators, sensor: b.sensor, seen, eventDone: false, sightingsDone: [], attempts: 0 });
      }
      return batches.length;
    },
    drain() {
      // One drain at a time: two would send the same file twice.
      draining ??= drainOnce().finally(() => {
        draining = undefined;
      });
      return draining;
    },
    start(intervalMs) {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        reporter.cut();
        if (deps.now().getTime() < nextAttempt) return;
        reporter.drain().then((r) => {
          if (r.error !== undefined) log(`reporting paused: ${r.error}; ${String(r.pending)} batches kept in ${spool.dir}, retry in ${String(r.retryInMs)} ms`);
        }, (e: unknown) => log(`reporting failed: ${String(e)}`));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (draining !== undefined) await draining;
      reporter.cut(true);
      return reporter.drain();
    },
    sink() {
      return { write: (e) => reporter.ingest(e), close: async () => undefined };
    },
  };
  return reporter;
}
