import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isWaggleError, type ErrorCode } from '@waggle/errors';
import { TAXII_MEDIA_TYPE, type TaxiiErrorMessage } from '@waggle/taxii';
import { STATUS_BY_CODE } from '../http/error-map.js';

/** HTTP-level outcomes of the TAXII protocol that are not domain errors. */
export type TaxiiProtocolFailure = 'unauthenticated' | 'not_acceptable' | 'unsupported_media_type';

/** Thrown by the TAXII routes for protocol-level refusals (credentials, Accept, Content-Type). */
export class TaxiiProtocolError extends Error {
  readonly failure: TaxiiProtocolFailure;
  constructor(failure: TaxiiProtocolFailure, message: string) {
    super(message);
    this.name = 'TaxiiProtocolError';
    this.failure = failure;
  }
}

/*
 * Domain errors take their status from the server's one table (STATUS_BY_CODE),
 * with two deliberate exceptions: `unauthenticated` is 401 here, not MISP's 403.
 * MISP answers 403 because PyMISP expects it; TAXII clients follow HTTP
 * (RFC 9110, TAXII 2.1 section 3.6) and expect 401 with a challenge. Likewise `maintenance`
 * (MISP.live off) is 503 here, not the 405 MISP's API answered.
 */
const PROTOCOL_STATUS: { readonly [F in TaxiiProtocolFailure]: number } = {
  unauthenticated: 401,
  not_acceptable: 406,
  unsupported_media_type: 415,
};

const TITLES: { readonly [C in ErrorCode | TaxiiProtocolFailure]: string } = {
  invalid_input: 'Invalid request',
  not_found: 'Not found',
  forbidden: 'Forbidden',
  unauthenticated: 'Authentication required',
  conflict: 'Conflict',
  too_large: 'Request too large',
  rate_limited: 'Too many requests',
  maintenance: 'Service in maintenance',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
  not_acceptable: 'Not acceptable',
  unsupported_media_type: 'Unsupported media type',
};

/** Sends a TAXII error message resource (section 3.6.1). */
export function sendTaxiiError(reply: FastifyReply, status: number, code: ErrorCode | TaxiiProtocolFailure, description: string, errorId: string, details?: Record<string, unknown>): FastifyReply {
  const body: TaxiiErrorMessage = { title: TITLES[code], description, error_id: errorId, error_code: code, http_status: String(status), ...(details !== undefined ? { details } : {}) };
  if (status === 401) void reply.header('www-authenticate', 'Basic realm="waggle TAXII", charset="UTF-8"');
  // Bytes, not an object: see sendTaxii (Fastify would rewrite the media type).
  return reply.status(status).header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** The error handler of the TAXII scope: every failure becomes a TAXII error message. */
export function taxiiErrorHandler(newId: () => string) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void => {
    const id = newId();
    if (error instanceof TaxiiProtocolError) {
      void sendTaxiiError(reply, PROTOCOL_STATUS[error.failure], error.failure, error.message, id);
      return;
    }
    if (isWaggleError(error)) {
      const status = error.code === 'unauthenticated' ? PROTOCOL_STATUS.unauthenticated : error.code === 'maintenance' ? 503 : STATUS_BY_CODE[error.code];
      if (status >= 500) request.log.error({ err: error, errorId: id }, 'TAXII request failed');
      const field = error.details.field;
      void sendTaxiiError(reply, status, error.code, error.message, id, field !== undefined ? { field, ...(error.retryable ? { retryable: true } : {}) } : error.retryable ? { retryable: true } : undefined);
      return;
    }
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      void sendTaxiiError(reply, STATUS_BY_CODE.too_large, 'too_large', 'The request body exceeds max_content_length', id);
      return;
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      void sendTaxiiError(reply, PROTOCOL_STATUS.unsupported_media_type, 'unsupported_media_type', `Content-Type must be ${TAXII_MEDIA_TYPE}`, id);
      return;
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      void sendTaxiiError(reply, STATUS_BY_CODE.invalid_input, 'invalid_input', error.message, id);
      return;
    }
    request.log.error({ err: error, errorId: id }, 'unexpected TAXII error');
    void sendTaxiiError(reply, STATUS_BY_CODE.internal, 'internal', `Internal server error (error_id ${id})`, id);
  };
}
