import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { randomBytes } from 'node:crypto';
import type { Permission, RequesterClaims } from '../../common/uma-types.js';
import { RPT_TYP } from '../../rs/verify-rpt.js';
import type { KeyRing } from '../keys/key-ring.js';

/** What goes into a new RPT. */
export interface RptContent {
  readonly clientId: string;
  readonly audience: readonly string[];
  readonly claims: RequesterClaims;
  readonly permissions: readonly Permission[];
  readonly lifetimeSec: number;
}

/** Signs an RPT (JWT, `typ` `uma-rpt+jwt`) with the active key. */
export async function signRpt(keys: KeyRing, issuer: string, now: () => number, content: RptContent): Promise<{ token: string; exp: number }> {
  const key = await keys.active();
  const iat = Math.floor(now() / 1000);
  const exp = iat + content.lifetimeSec;
  const sub = content.claims.sub;
  const jwt = new SignJWT({ azp: content.clientId, permissions: content.permissions, claims: content.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RPT_TYP })
    .setIssuer(issuer)
    .setAudience([...content.audience])
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomBytes(16).toString('base64url'));
  if (typeof sub === 'string') jwt.setSubject(sub);
  return { token: await jwt.sign(key.privateKey), exp };
}

/** Verifies an RPT this AS issued (for upgrade and introspection); `undefined` when it is not valid now. */
export async function readOwnRpt(keys: KeyRing, issuer: string, now: () => number, token: string): Promise<JWTPayload | undefined> {
  try {
    const key = await keys.verifyKey(decodeProtectedHeader(token).kid);
    if (key === undefined) return undefined;
    const { payload } = await jwtVerify(token, key, { issuer, typ: RPT_TYP, currentDate: new Date(now()), requiredClaims: ['exp'] });
    return payload;
  } catch {
    return undefined;
  }
}
