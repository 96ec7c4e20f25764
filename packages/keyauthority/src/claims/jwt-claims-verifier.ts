import { existsSync, readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { InputError, UnavailableError } from '@waggle/errors';
import { bearerToken, claimsFromPayload, type ClaimsOutcome, type ClaimsVerifier } from './claims.js';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned (`none`) token is refused. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Settings of the OIDC/JWT verifier. */
export interface JwtClaimsVerifierDeps {
  /** The trusted issuer (`iss` must equal it). */
  readonly issuer: string;
  /** When set, `aud` must contain it (recommended: the authority's client id at the issuer). */
  readonly audience?: string;
  /** The issuer's keys: `createRemoteJWKSet(url)` or `createLocalJWKSet(jwks)` from jose. */
  readonly keys: JWTVerifyGetKey;
  readonly now: () => Date;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token is not signed by a key of the trusted issuer';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed (asymmetric signatures only)';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" invalid: ${error.message}`;
  if (error instanceof errors.JOSEError) return `token invalid: ${error.message}`;
  return `token invalid: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Verifies a bearer OIDC ID token (or any JWT of the trusted issuer): signature by a key
 * of the issuer's JWKS, `iss`, `aud` when configured, `exp` (required) and `nbf`, then
 * reads the claims. The JWKS being unreachable is `UnavailableError`, not a refusal.
 */
export function createJwtClaimsVerifier(deps: JwtClaimsVerifierDeps): ClaimsVerifier {
  return {
    mode: 'oidc',
    verify: async (authorization): Promise<ClaimsOutcome> => {
      const token = bearerToken(authorization);
      if (token === undefined) {
        return { ok: false, reason: 'a bearer ID token of the trusted issuer is required', challenge: 'Bearer realm="waggle-keyauthority"', logged: authorization !== undefined };
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, deps.keys, {
          issuer: deps.issuer, algorithms: ASYMMETRIC_ALGORITHMS, currentDate: deps.now(), requiredClaims: ['sub', 'exp'],
          ...(deps.audience === undefined ? {} : { audience: deps.audience }),
        }));
      } catch (error) {
        if (error instanceof errors.JWKSTimeout || (error instanceof errors.JOSEError && error.code === 'ERR_JWKS_INVALID')) throw new UnavailableError('the trusted issuer\'s JWKS cannot be fetched', error);
        if (error instanceof TypeError || (error instanceof Error && !(error instanceof errors.JOSEError) && /fetch|ECONNREFUSED/i.test(error.message))) {
          throw new UnavailableError('the trusted issuer\'s JWKS cannot be fetched', error);
        }
        return { ok: false, reason: reasonOf(error), challenge: 'Bearer realm="waggle-keyauthority", error="invalid_token"', logged: true };
      }
      const claims = claimsFromPayload(deps.issuer, payload);
      return typeof claims === 'string' ? { ok: false, reason: claims, challenge: 'Bearer realm="waggle-keyauthority", error="invalid_token"', logged: true } : { ok: true, claims };
    },
  };
}

/** The trusted issuer's keys from an http(s) JWKS URL (fetched and cached) or a JWK set file. */
export function issuerKeys(source: string): JWTVerifyGetKey {
  if (/^https?:\/\//.test(source)) return createRemoteJWKSet(new URL(source));
  if (!existsSync(source)) throw new InputError(`--issuer-jwks: ${source} is neither an http(s) URL nor a file`, { field: 'issuer-jwks' });
  try {
    return createLocalJWKSet(JSON.parse(readFileSync(source, 'utf8')) as JSONWebKeySet);
  } catch (cause) {
    throw new InputError(`--issuer-jwks: ${source} is not a JWK set (${cause instanceof Error ? cause.message : String(cause)})`, { field: 'issuer-jwks' });
  }
}
