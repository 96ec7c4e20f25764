/**
 * The closed set of error codes every waggle package uses. They say what went
 * wrong in domain terms; the HTTP layer maps them to status codes in one table.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'maintenance'
  | 'unavailable'
  | 'internal';

/** Extra, safe-to-show details attached to an error (e.g. which field was wrong). */
export interface ErrorDetails {
  readonly field?: string;
  readonly [key: string]: unknown;
}

/** Base class of all waggle errors. `retryable` says whether trying again may succeed. */
export class WaggleError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetails; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** The input is malformed or breaks a rule; `field` names the offending field. */
export class InputError extends WaggleError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('invalid_input', message, { details });
  }
}

/** The thing does not exist, or the caller may not know that it exists. */
export class NotFoundError extends WaggleError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('not_found', message, { details });
  }
}

/** The caller is known but lacks the permission. */
export class ForbiddenError extends WaggleError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('forbidden', message, { details });
  }
}

/** No valid credentials were presented. */
export class AuthenticationError extends WaggleError {
  constructor(message = 'Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.') {
    super('unauthenticated', message);
  }
}

/** The request conflicts with the current state (duplicate UUID, concurrent edit). */
export class ConflictError extends WaggleError {
  constructor(message: string, details: ErrorDetails = {}, retryable = false) {
    super('conflict', message, { details, retryable });
  }
}

/** The input exceeds a configured size limit. */
export class TooLargeError extends WaggleError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('too_large', message, { details });
  }
}

/** The caller made more requests of a kind than its allowance; `reset` says in how many seconds it is renewed. */
export class RateLimitedError extends WaggleError {
  constructor(message: string, details: ErrorDetails & { readonly limit: number; readonly remaining: number; readonly reset: number }) {
    super('rate_limited', message, { details, retryable: true });
  }
}

/**
 * The instance is closed to the caller for maintenance (MISP's `MISP.live` off: only site
 * admins are let in); the message is the instance's maintenance message. Retryable.
 */
export class MaintenanceError extends WaggleError {
  constructor(message: string) {
    super('maintenance', message, { retryable: true });
  }
}

/** A dependency (database, bus) is down or busy; trying again later may work. */
export class UnavailableError extends WaggleError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', message, { retryable: true, cause });
  }
}

/** True for any waggle error. */
export function isWaggleError(error: unknown): error is WaggleError {
  return error instanceof WaggleError;
}
