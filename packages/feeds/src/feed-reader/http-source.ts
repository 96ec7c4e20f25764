import { InputError, NotFoundError, TooLargeError, UnavailableError, WaggleError } from '@waggle/errors';
import { assertFeedFileName } from '../shared/feed-files.js';
import type { FeedSource } from './feed-source.js';
import { decodeUtf8, utf8Lines } from './utf8-lines.js';

/** Options of {@link httpSource}. */
export interface HttpSourceOptions {
  /** Sent with every request (e.g. Authorization); never shown in messages. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time for one whole request, body included (default 30 s). */
  readonly timeoutMs?: number;
  /** Largest body accepted (default 256 MiB). */
  readonly maxBytes?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

interface OpenedBody {
  readonly url: string;
  readonly response: Response;
  readonly signal: AbortSignal;
}

/**
 * A FeedSource reading a MISP feed over HTTP(S) from `baseUrl` (the feed's
 * folder URL; `manifest.json` and the rest are resolved under it). Only that
 * URL is contacted: redirects are refused with a message naming the target,
 * and file names from the feed are checked before use. Each request has its
 * own timeout (AbortSignal) covering the body, and a size limit checked both
 * on Content-Length and while reading.
 */
export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): FeedSource {
  const base = parseBase(baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const problems: string[] = [];
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) problems.push('timeoutMs must be a positive whole number.');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) problems.push('maxBytes must be a positive whole number.');
  if (problems.length > 0) throw new InputError(`Invalid HTTP feed options: ${problems.join(' ')}`, { field: 'options' });
  const doFetch = options.fetch ?? fetch;
  const describe = (name: string): string => new URL(name, base).toString();

  const open = async (name: string): Promise<OpenedBody> => {
    assertFeedFileName(name);
    const url = describe(name);
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, { headers: { ...options.headers }, signal, redirect: 'manual' });
    } catch (error) {
      throw transportError(url, error, signal, timeoutMs);
    }
    const status = response.status;
    if (status < 200 || status > 299) {
      await response.body?.cancel().catch(() => undefined);
      throw statusError(url, response);
    }
    const declared = declaredLength(response);
    if (declared !== undefined && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new TooLargeError(`${url} announces ${declared} bytes, over the limit of ${maxBytes}.`, { url });
    }
    return { url, response, signal };
  };

  async function* chunks(opened: OpenedBody): AsyncGenerator<Uint8Array> {
    const { url, response, signal } = opened;
    const reader = response.body?.getReader();
    if (!reader) return;
    const declared = declaredLength(response);
    let total = 0;
    let done = false;
    try {
      for (;;) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          throw transportError(url, error, signal, timeoutMs);
        }
        if (result.done) break;
        total += result.value.byteLength;
        if (total > maxBytes) throw new TooLargeError(`${url} is larger than the limit of ${maxBytes} bytes.`, { url });
        yield result.value;
      }
      done = true;
      if (declared !== undefined && total < declared) {
        throw new UnavailableError(`${url}: the body was cut off after ${total} of ${declared} bytes.`);
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }

  return {
    location: base.toString(),
    describe,
    async readText(name) {
      const opened = await open(name);
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks(opened)) parts.push(chunk);
      return decodeUtf8(Buffer.concat(parts), opened.url);
    },
    async *readLines(name) {
      const opened = await open(name);
      yield* utf8Lines(chunks(opened), opened.url);
    },
  };
}

function parseBase(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InputError(`"${baseUrl}" is not a URL.`, { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`Feed URL must be http or https, got ${url.protocol}`, { field: 'url' });
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

// Only an identity-encoded body's length can be compared with the bytes read.
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding !== 'identity') return undefined;
  const header = response.headers.get('content-length');
  return header !== null && /^[0-9]+$/.test(header) ? Number(header) : undefined;
}

function statusError(url: string, response: Response): WaggleError {
  const status = response.status;
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return new WaggleError('unavailable', `${url} redirects (HTTP ${status}) to ${location ?? 'an unnamed location'}; redirects are not followed, configure the final URL instead.`, { retryable: false });
  }
  if (status === 404 || status === 410) return new NotFoundError(`${url} does not exist (HTTP ${status}).`, { url });
  if (status >= 500 || status === 408 || status === 429) return new UnavailableError(`${url} answered HTTP ${status}; try again later.`);
  return new WaggleError('unavailable', `${url} answered HTTP ${status}.`, { retryable: false, details: { url } });
}

function transportError(url: string, error: unknown, signal: AbortSignal, timeoutMs: number): UnavailableError {
  if (signal.aborted) return new UnavailableError(`${url} gave no complete answer within ${timeoutMs} ms.`, error);
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return new UnavailableError(`${url} could not be read: ${String(detail)}.`, error);
}
