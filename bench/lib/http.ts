/** A failed HTTP exchange, with enough of the response to diagnose it. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The server said that trying again may succeed (`"retryable": true`). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A JSON API client for one server and API key. */
export interface ApiClient {
  readonly baseUrl: string;
  /** POSTs a JSON body (a value, or text/bytes already serialised); resolves to the raw response once the status is checked (body unread). */
  post(path: string, body: unknown, timeoutMs: number): Promise<Response>;
  /** POSTs and reads the whole body as text. */
  postText(path: string, body: unknown, timeoutMs: number): Promise<string>;
}

/** Creates a client using Node's built-in fetch (undici), keep-alive connections. */
export function createApiClient(baseUrl: string, authKey: string): ApiClient {
  const headers = { authorization: authKey, accept: 'application/json', 'content-type': 'application/json' };
  async function post(path: string, body: unknown, timeoutMs: number): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const e = error as Error;
      const reason = e.name === 'TimeoutError' ? `timed out after ${String(timeoutMs)} ms` : `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`;
      throw new Error(`POST ${path}: ${reason}`, { cause: error });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const retryable = /"retryable"\s*:\s*true/.test(text);
      throw new HttpError(`POST ${path}: HTTP ${String(response.status)}: ${text.slice(0, 500)}`, response.status, retryable);
    }
    return response;
  }
  return {
    baseUrl,
    post,
    async postText(path, body, timeoutMs) {
      const response = await post(path, body, timeoutMs);
      return response.text();
    },
  };
}
