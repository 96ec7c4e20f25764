import { AuthenticationError, ForbiddenError, InputError, NotFoundError, UnavailableError, WaggleError } from '@waggle/errors';

/**
 * The typed error for a failed HTTP answer: 5xx, 408 and 429 are a retryable
 * `UnavailableError`; other 4xx the matching non-retryable error.
 */
export function errorForStatus(status: number, message: string): WaggleError {
  if (status >= 500 || status === 429 || status === 408) return new UnavailableError(message);
  if (status === 401) return new AuthenticationError(message);
  if (status === 403) return new ForbiddenError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 400 || status === 422) return new InputError(message);
  return new WaggleError('internal', message);
}
