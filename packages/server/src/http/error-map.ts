import type { ErrorCode } from '@waggle/errors';

/** The one place where domain error codes become HTTP status codes. */
export const STATUS_BY_CODE: { readonly [C in ErrorCode]: number } = {
  invalid_input: 400,
  not_found: 404,
  forbidden: 403,
  // MISP answers a bad or missing key with 403; PyMISP and other clients expect that.
  unauthenticated: 403,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  // MISP 2.4 threw MethodNotAllowedException with the maintenance message when MISP.live was off.
  maintenance: 405,
  unavailable: 503,
  internal: 500,
};
