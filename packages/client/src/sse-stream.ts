import type { Secret } from '@waggle/errors';
import { errorForStatus } from './http-errors.js';

/** One Server-Sent Event. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** An open subscription; `closed` settles when the connection ends (rejects on a failure). */
export interface SseSubscription {
  readonly closed: Promise<void>;
  close(): void;
}

/** Options of {@link subscribeEventStream}. */
export interface SseOptions {
  /** Full URL of the stream (e.g. `http://127.0.0.1:8080/events/stream?topics=misp_json_event`). */
  url: string;
  key: Secret;
  onMessage: (m: SseMessage) => void;
  /** Called once the server answered 200 and the stream is open. */
  onOpen?: () => void;
  /** Sent as `Last-Event-ID` (the id of the last message seen), so a server that keeps a replay buffer can resume. */
  lastEventId?: string;
  fetch?: typeof fetch;
}

/** Splits an SSE byte stream into messages (the WHATWG event-stream format). */
export function createSseParser(onMessage: (m: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  return (chunk) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (data.length > 0) onMessage({ event: event === '' ? 'message' : event, data: data.join('\n'), ...(id === undefined ? {} : { id }) });
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  };
}

/**
 * Opens waggle's `GET /events/stream` with the API key and feeds each message to `onMessage`.
 * One connection, no reconnection (see `followEventStream`). A refused subscription rejects
 * `closed` with the typed error of its status (`errorForStatus`: 5xx, 408 and 429 retryable).
 */
export function subscribeEventStream(options: SseOptions): SseSubscription {
  const abort = new AbortController();
  const doFetch = options.fetch ?? fetch;
  const closed = (async () => {
    const headers: Record<string, string> = { Authorization: options.key.reveal(), Accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['Last-Event-ID'] = options.lastEventId;
    const res = await doFetch(options.url, { headers, signal: abort.signal });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw errorForStatus(res.status, `event stream ${options.url}: HTTP ${String(res.status)}`);
    }
    if (res.body === null) throw new Error(`event stream ${options.url}: HTTP ${String(res.status)} without a body`);
    options.onOpen?.();
    const parse = createSseParser(options.onMessage);
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parse(decoder.decode(value, { stream: true }));
    }
  })().catch((e: unknown) => {
    if (abort.signal.aborted) return;
    throw e;
  });
  return { closed, close: () => abort.abort() };
}
