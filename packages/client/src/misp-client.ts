import { Secret, UnavailableError } from '@waggle/errors';
import { errorForStatus } from './http-errors.js';

/** A minimal client of the MISP REST API (works against waggle or any MISP server). */
export interface MispClient {
  readonly url: string;
  /** Sends JSON and returns the parsed JSON answer; throws a typed error otherwise. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
}

/** Options of {@link createMispClient}. */
export interface MispClientOptions {
  url: string;
  /** The raw API key, sent as MISP expects it in `Authorization`. */
  key: Secret;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function messageOf(json: unknown, text: string): string {
  const o = json as { message?: unknown; name?: unknown } | undefined;
  return typeof o?.message === 'string' ? o.message : typeof o?.name === 'string' ? o.name : text.slice(0, 200);
}

/**
 * Creates the client. Transport failures, timeouts, 5xx and 429 become a
 * retryable `UnavailableError`; 4xx become the matching non-retryable error.
 */
export function createMispClient(options: MispClientOptions): MispClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeout = options.timeoutMs ?? 15_000;
  return {
    url: base,
    async request(method, path, body) {
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: { Authorization: options.key.reveal(), Accept: 'application/json', 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeout),
        });
      } catch (e) {
        throw new UnavailableError(`${base} unreachable: ${(e as Error).message}`, e);
      }
      const text = await res.text().catch(() => '');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.ok) return json;
      const msg = `${method} ${path}: HTTP ${String(res.status)} ${messageOf(json, text)}`;
      throw errorForStatus(res.status, msg);
    },
  };
}
