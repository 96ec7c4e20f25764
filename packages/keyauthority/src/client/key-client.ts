import { AuthenticationError, ForbiddenError, InputError, UnavailableError, WaggleError, type Secret } from '@waggle/errors';
import type { PublicKeyJson } from '@waggle/abe';
import { ID_TOKEN_FORMAT, parseUmaChallenge, requestRpt } from '@waggle/uma';
import type { IssuedKey } from '../authority/issued-key.js';
import { parseIssuedKey } from './issued-key-file.js';

/** How the requester proves who it is. */
export type KeyCredentials =
  /** An OIDC ID token (or RPT already obtained) sent as a bearer token. */
  | { readonly kind: 'bearer'; readonly token: string }
  /** UMA: a claim token pushed to the authorisation server to obtain an RPT. */
  | {
      readonly kind: 'uma';
      readonly claimToken: string;
      readonly claimTokenFormat?: string;
      /** The requesting client's registration at the AS (the token endpoint authenticates clients). */
      readonly clientId: string;
      readonly clientSecret: Secret;
    };

/** A key request. `fetch` is injectable for tests; it defaults to the global one. */
export interface KeyClientRequest {
  readonly authority: string;
  readonly credentials: KeyCredentials;
  readonly epoch?: string;
  readonly fetch?: typeof fetch;
}


async function call(f: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await f(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (cause) {
    throw new UnavailableError(`cannot reach ${url}`, cause);
  }
}

async function jsonOf(res: Response, url: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through: reported below with the status
  }
  throw new WaggleError(res.ok ? 'internal' : 'unavailable', `${url}: HTTP ${String(res.status)}, not a JSON object`);
}

function failure(res: Response, body: Record<string, unknown>, url: string): Error {
  const msg = typeof body.message === 'string' ? body.message : typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${String(res.status)}`;
  if (res.status === 400) return new InputError(`${url}: ${msg}`);
  if (res.status === 401) return new AuthenticationError(`${url}: ${msg}`);
  if (res.status === 403) return new ForbiddenError(`${url}: ${msg}`);
  return new WaggleError(res.status >= 500 ? 'unavailable' : 'internal', `${url}: ${msg}`, { retryable: res.status >= 500 });
}

/** UMA grant: trades the permission ticket and a pushed claim token for an RPT at the AS. */
async function obtainRpt(f: typeof fetch, challenge: { asUri: string; ticket: string }, c: Extract<KeyCredentials, { kind: 'uma' }>): Promise<string> {
  const discovery = `${challenge.asUri.replace(/\/$/, '')}/.well-known/uma2-configuration`;
  const config = await jsonOf(await call(f, discovery, {}), discovery);
  const tokenEndpoint = config.token_endpoint;
  if (typeof tokenEndpoint !== 'string') throw new UnavailableError(`${discovery}: no token_endpoint`);
  const result = await requestRpt({
    tokenEndpoint, clientId: c.clientId, clientSecret: c.clientSecret, ticket: challenge.ticket, claimToken: c.claimToken, claimTokenFormat: c.claimTokenFormat ?? ID_TOKEN_FORMAT,
    fetch: (url: string, init?: RequestInit) => call(f, url, init ?? {}),
  });
  if (result.ok) return result.rpt;
  const detail = result.description === '' ? '' : `: ${result.description}`;
  const next = result.redirectUser === undefined ? '' : `; the AS needs more claims, sign in at ${result.redirectUser}`;
  throw new ForbiddenError(`the authorisation server refused the key request (${result.error}${detail})${next}`);
}

/**
 * Requests a key: POST /keys with the bearer token; with UMA credentials, the first answer
 * is a 401 carrying a permission ticket, which is traded at the authorisation server for
 * an RPT (pushing the claim token), and the request is retried with the RPT.
 */
export async function requestKey(req: KeyClientRequest): Promise<IssuedKey> {
  const f = req.fetch ?? fetch;
  const url = `${req.authority.replace(/\/$/, '')}/keys`;
  const body = JSON.stringify(req.epoch === undefined ? {} : { epoch: req.epoch });
  const post = (token: string | undefined): Promise<Response> =>
    call(f, url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body });
  let res = await post(req.credentials.kind === 'bearer' ? req.credentials.token : undefined);
  if (res.status === 401 && req.credentials.kind === 'uma') {
    const challenge = parseUmaChallenge(res.headers.get('www-authenticate') ?? '');
    if (challenge === undefined) throw new AuthenticationError(`${url}: the authority did not answer with a UMA ticket (is it running in UMA mode?)`);
    await res.body?.cancel();
    res = await post(await obtainRpt(f, challenge, req.credentials));
  }
  const json = await jsonOf(res, url);
  if (!res.ok) throw failure(res, json, url);
  return parseIssuedKey(json, url);
}

/** The authority's public parameters (for encryptors). */
export async function fetchPublicParams(authority: string, f: typeof fetch = fetch): Promise<PublicKeyJson> {
  const url = `${authority.replace(/\/$/, '')}/public-params`;
  const res = await call(f, url, {});
  const json = await jsonOf(res, url);
  if (!res.ok) throw failure(res, json, url);
  return json as unknown as PublicKeyJson;
}

/** The authority's current epoch, e.g. `{ epoch: '2026-12', attribute: 'epoch:2026-12', … }`. */
export async function fetchEpoch(authority: string, f: typeof fetch = fetch): Promise<{ epoch: string; attribute: string; starts_at: string; ends_at: string }> {
  const url = `${authority.replace(/\/$/, '')}/epoch`;
  const res = await call(f, url, {});
  const json = await jsonOf(res, url);
  if (!res.ok || typeof json.attribute !== 'string') throw failure(res, json, url);
  return json as { epoch: string; attribute: string; starts_at: string; ends_at: string };
}
