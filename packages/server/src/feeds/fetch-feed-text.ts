import { readFile, stat } from 'node:fs/promises';
import { InputError, NotFoundError, TooLargeError, UnavailableError, WaggleError } from '@waggle/errors';

/** Limits and transport for reading a CSV or freetext feed. */
export interface FeedTextOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly fetch: typeof fetch;
}

function decode(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(`${where} is not UTF-8 text.`);
  }
}

async function readLocal(path: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InputError(`${path} is not a file.`);
    if (info.size > maxBytes) throw new TooLargeError(`${path} is ${info.size} bytes, over the limit of ${maxBytes}.`, { file: path });
    return decode(await readFile(path), path);
  } catch (error) {
    if (error instanceof WaggleError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${path} does not exist.`);
    throw new UnavailableError(`Could not read ${path}: ${(error as Error).message}`, error);
  }
}

async function readNetwork(url: string, o: FeedTextOptions): Promise<string> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  const failed = (error: unknown): UnavailableError =>
    signal.aborted ? new UnavailableError(`${url} gave no complete answer within ${o.timeoutMs} ms.`, error) : new UnavailableError(`${url} could not be read: ${String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message)}.`, error);
  let response: Response;
  try {
    // Redirects are refused, as for MISP feeds: only the configured URL is contacted.
    response = await o.fetch(url, { headers: { ...o.headers }, signal, redirect: 'manual' });
  } catch (error) {
    throw failed(error);
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 404 || response.status === 410) throw new NotFoundError(`${url} does not exist (HTTP ${response.status}).`);
    if (response.status >= 300 && response.status < 400) throw new WaggleError('unavailable', `${url} redirects (HTTP ${response.status}) to ${response.headers.get('location') ?? 'an unnamed location'}; configure the final URL instead.`, { retryable: false });
    throw new WaggleError('unavailable', `${url} answered HTTP ${response.status}.`, { retryable: response.status >= 500 || response.status === 429 || response.status === 408 });
  }
  const length = response.headers.get('content-length');
  const identity = (response.headers.get('content-encoding') ?? 'identity') === 'identity';
  const declared = identity && length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
  if (declared !== undefined && declared > o.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new TooLargeError(`${url} announces ${declared} bytes, over the limit of ${o.maxBytes}.`);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      if (reader === undefined) break;
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw failed(error);
      }
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > o.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TooLargeError(`${url} is larger than the limit of ${o.maxBytes} bytes.`);
      }
      parts.push(chunk.value);
    }
  } finally {
    reader?.releaseLock();
  }
  if (declared !== undefined && total < declared) throw new UnavailableError(`${url}: the body was cut off after ${total} of ${declared} bytes.`);
  return decode(Buffer.concat(parts), url);
}

/**
 * The whole text of a CSV or freetext feed: a file on the server for
 * `input_source: local`, otherwise an HTTP(S) GET with a timeout covering the
 * body and a size limit checked on Content-Length and while reading.
 */
export async function fetchFeedText(feed: { readonly url: string; readonly input_source: string }, options: FeedTextOptions): Promise<string> {
  return feed.input_source === 'local' ? readLocal(feed.url, options.maxBytes) : readNetwork(feed.url, options);
}
