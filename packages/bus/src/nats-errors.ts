import { errors } from '@nats-io/transport-node';
import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { UnavailableError, isWaggleError } from '@waggle/errors';

/** Hides the user and password a NATS URL may carry, so it can appear in messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}

// Failures of the link to NATS or of JetStream being reachable: trying again later may work.
const TRANSIENT: ReadonlyArray<new (...args: never[]) => Error> = [
  errors.ConnectionError,
  errors.ClosedConnectionError,
  errors.DrainingConnectionError,
  errors.TimeoutError,
  errors.NoRespondersError,
  errors.RequestError,
];

const SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']);

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT.some((type) => error instanceof type)) return true;
  // JetStream API errors are answers from a working server (bad config, name clash), except
  // 503s such as "JetStream system temporarily unavailable".
  if (error instanceof JetStreamApiError) return error.status === 503;
  // The driver does not export JetStreamNotEnabled, so it is recognised by name.
  if (error instanceof JetStreamError || error.name === 'JetStreamNotEnabled') return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && SYSTEM_CODES.has(code);
}

/**
 * Turns NATS driver errors that mean "NATS is not reachable right now" into
 * `UnavailableError`; waggle errors and genuine API refusals pass through unchanged.
 */
export function translateNatsError(error: unknown, action: string): unknown {
  if (isWaggleError(error) || !isTransient(error)) return error;
  return new UnavailableError(`NATS ${action} failed: ${(error as Error).message}`, error);
}
