/**
 * The identity of a key requester as established by a verifier (a signed OIDC ID token,
 * or the claims of a UMA RPT). Only what a verifier has checked ends up here.
 */
export interface VerifiedClaims {
  /** Who vouched for the claims (token issuer). */
  readonly issuer: string;
  readonly sub: string;
  readonly org?: string;
  /** Present only when the issuer did not say it is unverified (`email_verified: false`). */
  readonly email?: string;
  readonly roles: readonly string[];
}

/** A verifier's verdict on the credentials of one request. */
export type ClaimsOutcome =
  | { readonly ok: true; readonly claims: VerifiedClaims }
  /**
   * `challenge`, when set, is the `WWW-Authenticate` value to answer with (UMA: a fresh
   * permission ticket). `logged` says whether the refusal goes into the issuance log: a
   * request that presents no credentials at all is the normal start of a flow, not a refusal.
   */
  | { readonly ok: false; readonly reason: string; readonly challenge?: string; readonly logged: boolean };

/** Port: establishes who is asking from the request's `Authorization` header. */
export interface ClaimsVerifier {
  /** Short name for logs and `GET /` (`oidc`, `uma`). */
  readonly mode: string;
  verify(authorization: string | undefined): Promise<ClaimsOutcome>;
}

/** The bearer token of an `Authorization` header, or `undefined`. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(authorization?.trim() ?? '');
  return m?.[1];
}

/**
 * Reads the claims waggle maps to attributes out of a verified JWT payload: `sub`
 * (required), `org`, `email` (skipped when `email_verified` is false), `role`/`roles`
 * (a string or an array of strings). Returns a reason when the payload cannot be used.
 */
export function claimsFromPayload(issuer: string, payload: Record<string, unknown>): VerifiedClaims | string {
  const { sub, org, email } = payload;
  if (typeof sub !== 'string' || sub === '') return 'token has no "sub" claim';
  if (org !== undefined && (typeof org !== 'string' || org === '')) return '"org" claim must be a non-empty string';
  const roles: string[] = [];
  for (const name of ['role', 'roles']) {
    const v = payload[name];
    if (v === undefined) continue;
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((r): r is string => typeof r === 'string' && r !== '')) return `"${name}" claim must be a string or an array of strings`;
    roles.push(...list);
  }
  const useEmail = typeof email === 'string' && email !== '' && payload.email_verified !== false;
  return { issuer, sub, roles: [...new Set(roles)].sort(), ...(typeof org === 'string' ? { org } : {}), ...(useEmail ? { email } : {}) };
}
