import { isWaggleError } from '@waggle/errors';
import { createSpool, sendBatch, type MispClient, type Spool } from '@waggle/honeypot';
import type { Alert } from '../rules/alert.js';
import { alertsToEvent } from './alerts-to-event.js';

/** What the reporter needs. */
export interface AlertReporterDeps {
  /** Absent: alerts are only spooled (offline mode) until a server is configured. */
  readonly client?: MispClient;
  readonly spoolDir: string;
  readonly host: string;
  readonly distribution?: number;
  readonly now: () => Date;
  readonly log?: (message: string) => void;
  /** Backoff after a failed send (default 1 s doubling up to 5 min). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

/** Outcome of one flush. */
export interface FlushResult {
  readonly sent: number;
  readonly pending: number;
  readonly error?: string;
}

/** Alerts in, MISP events out, through a local spool that survives outages and restarts. */
export interface AlertReporter {
  readonly spool: Spool;
  /** Writes the alerts to the spool (grouped per UTC day), durably, before anything is sent. */
  add(alerts: readonly Alert[]): void;
  /** Sends what is spooled, oldest first; stops at the first retryable failure and keeps the rest. */
  flush(): Promise<FlushResult>;
}

/**
 * Creates the reporter. Each spooled batch is sent with the honeypot
 * reporter's `sendBatch` (event added or extended by UUID, then sightings on
 * other events' copies of the attacker addresses), so a batch sent twice
 * changes nothing the second time.
 */
export function createAlertReporter(deps: AlertReporterDeps): AlertReporter {
  const spool = createSpool(deps.spoolDir, deps.now);
  const log = deps.log ?? ((): void => undefined);
  let failures = 0;
  let notBefore = 0;
  let flushing: Promise<FlushResult> | undefined;

  async function flushOnce(): Promise<FlushResult> {
    const client = deps.client;
    if (client === undefined) return { sent: 0, pending: spool.list().length };
    if (deps.now().getTime() < notBefore) return { sent: 0, pending: spool.list().length, error: 'waiting before the next retry' };
    let sent = 0;
    for (const name of spool.list()) {
      const batch = spool.read(name);
      try {
        batch.attempts += 1;
        await sendBatch(client, batch, (b) => spool.update(name, b));
        spool.remove(name);
        sent += 1;
        failures = 0;
      } catch (e) {
        spool.update(name, batch);
        if (isWaggleError(e) && !e.retryable && e.code !== 'unauthenticated' && batch.attempts >= 3) {
          // A batch the server keeps refusing would block every later one: set it aside, visibly.
          log(`batch ${name} refused ${String(batch.attempts)} times (${e.message}); left in ${spool.dir} as ${name}.rejected`);
          spool.update(`${name}.rejected`, batch);
          spool.remove(name);
          continue;
        }
        failures += 1;
        const wait = Math.min(deps.retryMaxMs ?? 300_000, (deps.retryBaseMs ?? 1000) * 2 ** Math.min(failures - 1, 20));
        notBefore = deps.now().getTime() + wait;
        return { sent, pending: spool.list().length, error: (e as Error).message };
      }
    }
    return { sent, pending: spool.list().length };
  }

  return {
    spool,
    add(alerts) {
      const byDay = new Map<string, Alert[]>();
      for (const a of alerts) {
        const day = a.time.toISOString().slice(0, 10);
        byDay.set(day, [...(byDay.get(day) ?? []), a]);
      }
      const seen = deps.now().toISOString();
      for (const [day, list] of byDay) {
        const { event, indicators } = alertsToEvent(list, day, { host: deps.host, ...(deps.distribution !== undefined ? { distribution: deps.distribution } : {}) });
        spool.put({ event, indicators, sensor: deps.host, seen, eventDone: false, sightingsDone: [], attempts: 0 });
      }
    },
    flush() {
      flushing ??= flushOnce().finally(() => {
        flushing = undefined;
      });
      return flushing;
    },
  };
}
