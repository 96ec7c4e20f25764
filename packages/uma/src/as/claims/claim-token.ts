import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWSHeaderParameters, type JWTPayload } from 'jose';
import type { FetchLike } from '../../common/http.js';
import { ID_TOKEN_FORMAT, JWT_FORMAT, type RequesterClaims } from '../../common/uma-types.js';
import { createJwksCache, type VerifyKey } from '../../rs/jwks-cache.js';

/** An identity provider whose tokens the AS accepts as pushed claims. */
export interface TrustedIssuer {
  readonly issuer: string;
  /** Where its keys are published, or the keys themselves. */
  readonly jwksUri?: string;
  readonly jwks?: JSONWebKeySet;
  /** When set, ID tokens must name this audience (the AS's client id at that provider). */
  readonly audience?: string;
}

/** The claim token formats the AS understands. */
export const CLAIM_TOKEN_FORMATS = [ID_TOKEN_FORMAT, JWT_FORMAT] as const;

/** Result of verifying a pushed claim token. */
export type ClaimTokenVerdict =
  | { readonly ok: true; readonly claims: RequesterClaims }
  | { readonly ok: false; readonly reason: 'unsupported_format' | 'untrusted_issuer' | 'invalid' | 'expired'; readonly message: string };

/** Verifies claim tokens against the configured trusted issuers. */
export type ClaimTokenVerifier = (token: string, format: string) => Promise<ClaimTokenVerdict>;

const REGISTERED = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'azp', 'nonce', 'auth_time', 'at_hash', 'c_hash', 'acr', 'amr', 'sid']);

function claimsOf(payload: JWTPayload): RequesterClaims {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (REGISTERED.has(name)) continue;
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[name] = value as string[];
  }
  return out;
}

/** Creates the verifier; a `jwksUri` key set is cached and refetched for unknown key ids. */
export function createClaimTokenVerifier(deps: { trustedIssuers: readonly TrustedIssuer[]; fetch: FetchLike; now: () => number }): ClaimTokenVerifier {
  const resolvers = new Map<string, (h: JWSHeaderParameters) => Promise<VerifyKey | undefined>>();
  for (const t of deps.trustedIssuers) {
    if (t.jwks !== undefined) {
      const local = createLocalJWKSet(t.jwks);
      resolvers.set(t.issuer, async (h) => {
        try {
          return await local(h);
        } catch {
          return undefined;
        }
      });
    } else if (t.jwksUri !== undefined) {
      const uri = t.jwksUri;
      resolvers.set(t.issuer, createJwksCache({ jwksUri: () => Promise.resolve(uri), fetch: deps.fetch, now: deps.now, refreshCooldownMs: 10_000 }).keyFor);
    }
  }
  return async (token, format) => {
    if (format !== ID_TOKEN_FORMAT && format !== JWT_FORMAT) return { ok: false, reason: 'unsupported_format', message: `claim_token_format ${format} is not supported` };
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return { ok: false, reason: 'invalid', message: 'the claim token is not a JWT' };
    }
    const trusted = deps.trustedIssuers.find((t) => t.issuer === unverified.iss);
    const resolve = trusted === undefined ? undefined : resolvers.get(trusted.issuer);
    if (trusted === undefined || resolve === undefined) return { ok: false, reason: 'untrusted_issuer', message: `claim tokens from ${String(unverified.iss)} are not trusted` };
    try {
      const { payload } = await jwtVerify(token, async (h) => {
        const key = await resolve(h);
        if (key === undefined) throw new errors.JWKSNoMatchingKey();
        return key;
      }, {
        issuer: trusted.issuer,
        currentDate: new Date(deps.now()),
        requiredClaims: format === ID_TOKEN_FORMAT ? ['sub', 'exp', 'iat', 'aud'] : ['exp'],
        ...(format === ID_TOKEN_FORMAT && trusted.audience !== undefined ? { audience: trusted.audience } : {}),
      });
      return { ok: true, claims: claimsOf(payload) };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired', message: 'the claim token has expired' };
      return { ok: false, reason: 'invalid', message: `the claim token does not verify: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
