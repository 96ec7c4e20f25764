import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isWaggleError } from '@waggle/errors';
import { STATUS_BY_CODE } from './error-map.js';
import { rateLimitHeaders, type RateAllowance } from './search-rate-limit.js';

/** MISP's error body: name, message and url, plus waggle's code and the offending field. */
export function errorBody(status: number, message: string, url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: message, message, url, ...extra, ...(status >= 400 ? { errors: extra.errors ?? message } : {}) };
}

/** Fastify error handler: every failure answers with a JSON body, never HTML or an empty body. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const url = request.url.split('?')[0] ?? request.url;
  if (isWaggleError(error)) {
    const status = STATUS_BY_CODE[error.code];
    const field = error.details.field;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (error.code === 'conflict' && typeof error.details.id === 'number') void reply.header('location', `/events/view/${error.details.id}`);
    if (error.code === 'rate_limited') {
      const allowance = error.details as unknown as RateAllowance;
      void reply.headers({ ...rateLimitHeaders(allowance), 'retry-after': String(allowance.reset) });
    }
    void reply.status(status).send(errorBody(status, error.message, url, { code: error.code, ...(field !== undefined ? { field } : {}), ...(error.retryable ? { retryable: true } : {}) }));
    return;
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send(errorBody(413, 'Request body is too large', url, { code: 'too_large' }));
    return;
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && error instanceof SyntaxError) || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    void reply.status(400).send(errorBody(400, `Malformed JSON body: ${error.message}`, url, { code: 'invalid_input' }));
    return;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    void reply.status(fe.statusCode).send(errorBody(fe.statusCode, error.message, url, { code: 'invalid_input' }));
    return;
  }
  request.log.error({ err: error }, 'unexpected error');
  void reply.status(500).send(errorBody(500, 'Internal server error', url, { code: 'internal' }));
}
