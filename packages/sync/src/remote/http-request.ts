import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  TooLargeError,
  UnavailableError,
  type WaggleError,
} from '@waggle/errors';
import { isJsonObject, toText } from '../model/misp-json.js';
import { RemoteProtocolError } from './remote-protocol-error.js';

/** What the remote client reports about each request (never headers, so never the key). */
export interface RemoteRequestLog {
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly error?: string;
}

/** Everything one request needs; built once per client. */
export interface HttpDeps {
  readonly fetch: typeof globalThis.fetch;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly clock: () => number;
  readonly onRequest?: (log: RemoteRequestLog) => void;
}

/** A received answer: status, headers and raw body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly url: string;
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause ? String((cause as { code?: unknown }).code) : undefined;
  const text = [error instanceof Error ? error.message : String(error), cause?.message, code].filter((s) => s !== undefined && s !== '');
  return [...new Set(text)].join(': ');
}

/**
 * Sends one request and reads the whole body within `timeoutMs`. Network
 * failures (refused, reset, cut mid-body, timeout) become a retryable
 * {@link UnavailableError} that names the URL.
 */
export async function send(deps: HttpDeps, method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, deps.timeoutMs);
  const started = deps.clock();
  const log = (status: number | undefined, error?: string): void => {
    deps.onRequest?.({ method, url, durationMs: deps.clock() - started, ...(status !== undefined ? { status } : {}), ...(error !== undefined ? { error } : {}) });
  };
  try {
    const response = await deps.fetch(url, {
      method,
      headers: deps.headers,
      signal: controller.signal,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = method === 'HEAD' ? '' : await response.text();
    log(response.status);
    return { status: response.status, headers: response.headers, text, url };
  } catch (error) {
    const message = timedOut ? `${method} ${url} timed out after ${deps.timeoutMs} ms` : `${method} ${url} failed: ${describeNetworkError(error)}`;
    log(undefined, message);
    throw new UnavailableError(message, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses a JSON body or fails with a non-retryable {@link RemoteProtocolError}. */
export function parseJson(answer: HttpAnswer, method: string): unknown {
  const trimmed = answer.text.trim();
  if (trimmed === '') throw new RemoteProtocolError(`${method} ${answer.url} answered HTTP ${answer.status} with an empty body where JSON was expected`, { url: answer.url, status: answer.status });
  try {
    return JSON.parse(trimmed);
  } catch {
    const preview = trimmed.slice(0, 80).replace(/\s+/g, ' ');
    throw new RemoteProtocolError(`${method} ${answer.url} answered HTTP ${answer.status} with a body that is not JSON: "${preview}${trimmed.length > 80 ? '…' : ''}"`, { url: answer.url, status: answer.status });
  }
}

/** The human message of a MISP error body (`message`, `name` or `errors`). */
export function remoteMessage(answer: HttpAnswer): string {
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return answer.text.trim().slice(0, 200);
  }
  if (!isJsonObject(json)) return answer.text.trim().slice(0, 200);
  const parts = [toText(json.message) ?? toText(json.name)];
  const errors = json.errors;
  if (typeof errors === 'string') parts.push(errors);
  else if (errors !== undefined && errors !== null) parts.push(JSON.stringify(errors));
  return [...new Set(parts.filter((p): p is string => p !== undefined && p !== ''))].join(' — ');
}

function remoteCode(answer: HttpAnswer): string | undefined {
  try {
    const json: unknown = JSON.parse(answer.text);
    return isJsonObject(json) ? toText(json.code) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps a non-2xx answer to a waggle error that keeps the remote's message. */
export function errorFor(answer: HttpAnswer, method: string): WaggleError {
  const { status, url } = answer;
  const message = remoteMessage(answer);
  const where = `${method} ${url} answered HTTP ${status}`;
  const details = { url, status, remoteMessage: message, ...(answer.headers.get('location') !== null ? { location: answer.headers.get('location') } : {}) };
  const authFailed = status === 401 || (status === 403 && (remoteCode(answer) === 'unauthenticated' || /authentication failed|authkey|api key/i.test(message)));
  if (authFailed) return new AuthenticationError(`${where}: authentication failed; check the sync server's authkey (${message || 'no message'})`);
  if (status === 403 && /already exists/i.test(message)) return new ConflictError(`${where}: ${message}`, details);
  if (status === 403) return new ForbiddenError(`${where}: ${message || 'forbidden'}`, details);
  if (status === 404 || status === 405) return new NotFoundError(`${where}: ${message || 'not found'}`, details);
  if (status === 409) return new ConflictError(`${where}: ${message}`, details);
  if (status === 413) return new TooLargeError(`${where}: ${message}`, details);
  if (status === 408 || status === 429 || status >= 500) return new UnavailableError(`${where}: ${message || 'server error'}`);
  if (status >= 400) return new InputError(`${where}: ${message || 'request refused'}`, details);
  return new RemoteProtocolError(`${where}, which the MISP protocol does not use here`, { url, status });
}
