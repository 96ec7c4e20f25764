import { Secret } from '@waggle/errors';
import { errorFromResponse, fetchJson, type FetchLike } from '../common/http.js';
import { UMA_TICKET_GRANT } from '../common/uma-types.js';

/** One claim the AS asks for in `need_info`. */
export interface RequiredClaim {
  readonly name?: string;
  readonly friendly_name?: string;
  readonly claim_token_format?: readonly string[];
  readonly issuer?: readonly string[];
  readonly claim_type?: string;
}

/** What the requesting party's client sends to the token endpoint. */
export interface RptRequest {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: Secret | string;
  readonly ticket: string;
  readonly claimToken?: string;
  readonly claimTokenFormat?: string;
  readonly pct?: string;
  readonly rpt?: string;
  readonly scope?: string;
  readonly fetch?: FetchLike;
}

/** The AS's answer: an RPT, or one of the UMA grant errors with what it carries. */
export type RptResponse =
  | { readonly ok: true; readonly rpt: string; readonly expiresIn: number | undefined; readonly pct: string | undefined; readonly upgraded: boolean }
  | {
      readonly ok: false;
      readonly status: number;
      readonly error: string;
      readonly description: string;
      readonly ticket?: string;
      readonly requiredClaims?: readonly RequiredClaim[];
      readonly redirectUser?: string;
      readonly interval?: number;
    };

/**
 * Runs the UMA grant once (UMA 2.0 Grant §3.3.1). Grant errors (`need_info`,
 * `request_submitted`, …) are returned, not thrown; a failed client
 * authentication or an unreachable AS throws.
 */
export async function requestRpt(request: RptRequest): Promise<RptResponse> {
  const secret = typeof request.clientSecret === 'string' ? new Secret(request.clientSecret) : request.clientSecret;
  const form = new URLSearchParams({ grant_type: UMA_TICKET_GRANT, ticket: request.ticket });
  if (request.claimToken !== undefined) form.set('claim_token', request.claimToken);
  if (request.claimTokenFormat !== undefined) form.set('claim_token_format', request.claimTokenFormat);
  if (request.pct !== undefined) form.set('pct', request.pct);
  if (request.rpt !== undefined) form.set('rpt', request.rpt);
  if (request.scope !== undefined) form.set('scope', request.scope);
  const response = await fetchJson(request.fetch ?? ((u, i) => fetch(u, i)), request.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(request.clientId)}:${encodeURIComponent(secret.reveal())}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const b = (response.body ?? {}) as Record<string, unknown>;
  if (response.status === 200 && typeof b.access_token === 'string') {
    return { ok: true, rpt: b.access_token, expiresIn: typeof b.expires_in === 'number' ? b.expires_in : undefined, pct: typeof b.pct === 'string' ? b.pct : undefined, upgraded: b.upgraded === true };
  }
  if (response.status === 401 || response.status >= 500) throw errorFromResponse('token request', response);
  return {
    ok: false,
    status: response.status,
    error: typeof b.error === 'string' ? b.error : 'unknown_error',
    description: typeof b.error_description === 'string' ? b.error_description : '',
    ...(typeof b.ticket === 'string' ? { ticket: b.ticket } : {}),
    ...(Array.isArray(b.required_claims) ? { requiredClaims: b.required_claims as RequiredClaim[] } : {}),
    ...(typeof b.redirect_user === 'string' ? { redirectUser: b.redirect_user } : {}),
    ...(typeof b.interval === 'number' ? { interval: b.interval } : {}),
  };
}
