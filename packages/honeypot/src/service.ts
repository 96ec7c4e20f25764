import type { HoneypotEvent } from './log/event.js';

/** Where honeypot services write their events (a JSON-lines file, memory, several at once). */
export interface EventSink {
  /** Records one event; must not throw on I/O trouble (a honeypot keeps serving). */
  write(event: HoneypotEvent): void;
  /** Flushes what is pending and releases the underlying resource. */
  close(): Promise<void>;
}

/** Resource caps every emulated service applies, so an attacker cannot exhaust the host. */
export interface Limits {
  /** Concurrent connections over all source addresses. */
  maxConnections: number;
  /** Concurrent connections from one source address. */
  maxConnectionsPerIp: number;
  /** New connections per source address per minute (token bucket). */
  ratePerIpPerMinute: number;
  /** A session without input for this long is closed. */
  idleTimeoutMs: number;
  /** A session is closed after this long whatever it does. */
  sessionTimeoutMs: number;
  /** Longest line/command/request buffered before it is cut. */
  maxInputBytes: number;
  /** Largest file kept from an upload; the rest is discarded. */
  maxUploadBytes: number;
}

/** Caps sized for a small sensor: a few hundred attackers at once, short sessions, 10 MiB samples. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxConnections: 1024,
  maxConnectionsPerIp: 16,
  ratePerIpPerMinute: 120,
  idleTimeoutMs: 180_000,
  sessionTimeoutMs: 3_600_000,
  maxInputBytes: 16_384,
  maxUploadBytes: 10 * 1024 * 1024,
});

/** What every service factory needs from its composition root. */
export interface ServiceDeps {
  sink: EventSink;
  /** Sensor name written into every event (Cowrie's `sensor`). */
  sensor: string;
  limits: Limits;
  now: () => Date;
  /** A new session id: 12 lowercase hex characters, as Cowrie writes them. */
  sessionId: () => string;
  /** Folder where uploaded files are kept (named by SHA-256, mode 0400); uploads are discarded without it. */
  quarantineDir?: string;
}

/** A listening emulated service. */
export interface RunningService {
  readonly protocol: string;
  readonly host: string;
  readonly port: number;
  /** Stops listening, closes every open session and waits for them. */
  close(): Promise<void>;
  /** Sessions open now, accepted since start, refused by the limits. */
  stats(): { active: number; total: number; rejected: number };
}
