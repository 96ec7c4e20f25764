import { ForbiddenError, InputError, NotFoundError, TooLargeError, UnavailableError, WaggleError } from '@waggle/errors';
import { TAXII_MEDIA_TYPE, isTaxiiContentType } from './media-types.js';
import { protocolError } from './shapes.js';

/** What one TAXII HTTP exchange needs. */
export interface TaxiiHttpDeps {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Extra request headers (authentication). */
  readonly headers: Readonly<Record<string, string>>;
}

/** A checked TAXII answer: parsed JSON body and the response headers. */
export interface TaxiiHttpAnswer {
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * Sends one TAXII request and returns the parsed body of a 200 (GET) or
 * 200/202 (POST) answer whose Content-Type is TAXII 2.1. Everything else
 * becomes a WaggleError: timeouts, network failures, 408/429/5xx → retryable
 * UnavailableError; 400/422 → InputError; 401/403 → ForbiddenError; 404 →
 * NotFoundError; 413 → TooLargeError; anything off-protocol → non-retryable
 * `unavailable`. The timeout covers the whole exchange, body included.
 */
export async function taxiiRequest(deps: TaxiiHttpDeps, method: 'GET' | 'POST', url: URL, payload?: unknown): Promise<TaxiiHttpAnswer> {
  const shown = `${method} ${url.origin}${url.pathname}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await deps.fetch(url, {
      method,
      headers: { accept: TAXII_MEDIA_TYPE, ...(payload === undefined ? {} : { 'content-type': TAXII_MEDIA_TYPE }), ...deps.headers },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      signal: controller.signal,
    });
    status = res.status;
    headers = res.headers;
    text = await readCapped(res, deps.maxResponseBytes, shown);
  } catch (error) {
    if (error instanceof WaggleError) throw error;
    if (controller.signal.aborted) throw new UnavailableError(`TAXII server did not answer ${shown} within ${deps.timeoutMs} ms`, error);
    throw new UnavailableError(`Could not reach the TAXII server for ${shown}: ${(error as Error).message}`, error);
  } finally {
    clearTimeout(timer);
  }
  const okStatus = status === 200 || (method === 'POST' && status === 202);
  if (!okStatus) throw statusError(status, shown, text);
  if (!isTaxiiContentType(headers.get('content-type') ?? undefined)) {
    throw protocolError(shown, `Content-Type ${JSON.stringify(headers.get('content-type'))} instead of ${TAXII_MEDIA_TYPE}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw protocolError(shown, 'a body that is not valid JSON');
  }
  return { body, headers };
}

async function readCapped(res: Response, max: number, shown: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw protocolError(shown, `a body of ${declared} bytes, over the ${max}-byte limit`);
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw protocolError(shown, `a body over the ${max}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The server's own explanation, when it sent a TAXII error message resource. */
function explanation(text: string): string {
  try {
    const e = JSON.parse(text) as { title?: unknown; description?: unknown };
    const parts = [e.title, e.description].filter((x): x is string => typeof x === 'string' && x !== '');
    return parts.length > 0 ? `: ${parts.join(' — ').slice(0, 500)}` : '';
  } catch {
    return '';
  }
}

function statusError(status: number, shown: string, text: string): WaggleError {
  const msg = `TAXII server answered ${shown} with HTTP ${status}${explanation(text)}`;
  const details = { status };
  if (status === 400 || status === 422) return new InputError(msg, details);
  if (status === 401 || status === 403) return new ForbiddenError(msg, details);
  if (status === 404) return new NotFoundError(msg, details);
  if (status === 413) return new TooLargeError(msg, details);
  if (status === 408 || status === 429 || status >= 500) return new UnavailableError(msg);
  return new WaggleError('unavailable', msg, { retryable: false, details });
}
