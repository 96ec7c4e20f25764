import { decodeProtectedHeader, errors, jwtVerify, type JWSHeaderParameters, type JWTPayload } from 'jose';
import type { Permission, RequesterClaims } from '../common/uma-types.js';
import type { VerifyKey } from './jwks-cache.js';

/** The JOSE `typ` of RPTs this AS issues, so no other JWT of the same issuer passes as an RPT. */
export const RPT_TYP = 'uma-rpt+jwt';

/** Why an RPT was not accepted. */
export type RptRejection = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'wrong_issuer' | 'wrong_audience' | 'insufficient_permission';

/** Result of checking an RPT: an expected outcome, never an exception. */
export type RptVerdict =
  | { readonly ok: true; readonly subject: string | undefined; readonly clientId: string | undefined; readonly claims: RequesterClaims; readonly permissions: readonly Permission[]; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: RptRejection; readonly message: string };

/** What `verifyRptLocally` checks against. */
export interface RptCheck {
  readonly issuer: string;
  /** The RS's client id; the RPT's `aud` must contain it. */
  readonly audience: string;
  readonly keyFor: (header: JWSHeaderParameters) => Promise<VerifyKey | undefined>;
  readonly now: () => number;
  /** Required resource and scope; omit to only validate the token. */
  readonly resourceId?: string;
  readonly scope?: string;
}

const reject = (reason: RptRejection, message: string): RptVerdict => ({ ok: false, reason, message });

function readPermissions(payload: JWTPayload): Permission[] | undefined {
  const raw = payload.permissions;
  if (!Array.isArray(raw)) return undefined;
  const out: Permission[] = [];
  for (const p of raw as unknown[]) {
    const r = p as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || typeof r.resource_id !== 'string' || !Array.isArray(r.resource_scopes)) return undefined;
    const scopes = (r.resource_scopes as unknown[]).filter((s): s is string => typeof s === 'string');
    out.push(typeof r.exp === 'number' ? { resource_id: r.resource_id, resource_scopes: scopes, exp: r.exp } : { resource_id: r.resource_id, resource_scopes: scopes });
  }
  return out;
}

function readClaims(payload: JWTPayload): RequesterClaims {
  const raw = payload.claims;
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/**
 * Verifies an RPT without any network call: signature against the cached JWKS,
 * `typ`, issuer, audience, expiry, and (when asked) that an unexpired
 * permission covers the resource and scope.
 */
export async function verifyRptLocally(token: string, check: RptCheck): Promise<RptVerdict> {
  let header: JWSHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed', 'the RPT is not a JWS');
  }
  const key = await check.keyFor(header);
  if (key === undefined) return reject('unknown_key', `the RPT is signed with a key (${header.kid ?? 'no kid'}, ${String(header.alg)}) the AS does not publish`);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: check.issuer, audience: check.audience, typ: RPT_TYP, algorithms: [String(header.alg)], currentDate: new Date(check.now()) }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) return reject('expired', 'the RPT has expired');
    if (error instanceof errors.JWSSignatureVerificationFailed) return reject('bad_signature', 'the RPT signature does not verify');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') return reject('wrong_issuer', 'the RPT comes from another issuer');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') return reject('wrong_audience', 'the RPT is not meant for this resource server');
    return reject('malformed', `the RPT is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  const permissions = readPermissions(payload);
  if (permissions === undefined || typeof payload.exp !== 'number') return reject('malformed', 'the RPT lacks a permissions array or exp');
  const nowSec = Math.floor(check.now() / 1000);
  const live = permissions.filter((p) => p.exp === undefined || p.exp > nowSec);
  if (check.resourceId !== undefined) {
    const { resourceId, scope } = check;
    const covers = live.some((p) => p.resource_id === resourceId && (scope === undefined || p.resource_scopes.includes(scope)));
    if (!covers) return reject('insufficient_permission', `the RPT grants no ${scope ?? 'access'} on resource ${resourceId}`);
  }
  return { ok: true, subject: payload.sub, clientId: typeof payload.azp === 'string' ? payload.azp : undefined, claims: readClaims(payload), permissions: live, expiresAt: payload.exp };
}
