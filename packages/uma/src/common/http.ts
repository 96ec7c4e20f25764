import { AuthenticationError, ForbiddenError, InputError, NotFoundError, UnavailableError, type WaggleError } from '@waggle/errors';

/** The subset of `fetch` this package uses, injectable for tests and proxies. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A parsed JSON response: status, headers and body (undefined when there was none). */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Sends a request and parses a JSON body; network failures become `UnavailableError`. */
export async function fetchJson(fetchImpl: FetchLike, url: string, init: RequestInit = {}): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (cause) {
    throw new UnavailableError(`cannot reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  const text = await response.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: 'invalid_response', error_description: text.slice(0, 200) };
    }
  }
  return { status: response.status, headers: response.headers, body };
}

/** The OAuth-style `error` / `error_description` of a response body, if any. */
export function oauthError(body: unknown): { error: string; description: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const error = typeof b.error === 'string' ? b.error : 'unknown_error';
  return { error, description: typeof b.error_description === 'string' ? b.error_description : error };
}

/** Maps a non-success response from the AS to the matching waggle error. */
export function errorFromResponse(what: string, response: JsonResponse): WaggleError {
  const { error, description } = oauthError(response.body);
  const message = `${what}: ${error} (${description})`;
  if (response.status === 401) return new AuthenticationError(message);
  if (response.status === 403) return new ForbiddenError(message, { error });
  if (response.status === 404) return new NotFoundError(message, { error });
  if (response.status >= 500) return new UnavailableError(message);
  return new InputError(message, { error });
}
