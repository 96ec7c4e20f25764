import type { ErrorCode } from '@waggle/errors';

/** The one place error codes become HTTP statuses (the compiler checks it is complete). */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  maintenance: 503,
  unavailable: 503,
  internal: 500,
};
