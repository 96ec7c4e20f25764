import { isWaggleError } from '@waggle/errors';
import type { Permission, RequesterClaims } from '../common/uma-types.js';
import { wwwAuthenticateHeader } from '../common/www-authenticate.js';
import type { ResourceServerClient } from './resource-server-client.js';
import type { RptRejection } from './verify-rpt.js';

/** The one thing `enforceUma` needs from a request: its headers (Node/Fastify style, lower-case names). */
export interface UmaRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** Outcome of enforcement: pass the request on, or answer with `status`, `headers` and `body`. */
export type UmaDecision =
  | { readonly allow: true; readonly subject: string | undefined; readonly clientId: string | undefined; readonly claims: RequesterClaims; readonly permissions: readonly Permission[] }
  | {
      readonly allow: false;
      readonly status: 401 | 403;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: { readonly error: string; readonly error_description: string };
      /** Why a presented RPT was refused (absent when there was none). */
      readonly reason?: RptRejection;
    };

/** Options of `enforceUma`. */
export interface EnforceUmaOptions<R extends UmaRequest> {
  readonly rs: Pick<ResourceServerClient, 'verifyRpt' | 'createTicket' | 'discovery'>;
  /** The realm named in the challenge (e.g. "waggle"). */
  readonly realm: string;
  /** The AS resource id this request touches; `undefined` means it is not a protected resource here (403). */
  readonly resourceIdFor: (request: R) => string | undefined | Promise<string | undefined>;
  /** The scope the request needs (e.g. "read" for GET). */
  readonly scopeFor: (request: R) => string;
}

function bearer(request: UmaRequest): string | undefined {
  const raw = request.headers.authorization;
  const value = Array.isArray(raw) ? raw[0] : raw;
  const match = typeof value === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(value) : null;
  return match?.[1];
}

const forbidden = (error: string, description: string, headers: Record<string, string> = {}): UmaDecision => ({ allow: false, status: 403, headers, body: { error, error_description: description } });

/**
 * Builds the UMA resource-server guard (UMA 2.0 Grant §3.2, Federated Authorization §4):
 * no RPT, or one that does not cover the resource and scope → 401 with a fresh
 * permission ticket in `WWW-Authenticate: UMA realm, as_uri, ticket`; a valid
 * RPT → allow with the requesting party's verified claims. When no ticket can be
 * obtained the answer is 403 with the `Warning` header the spec names.
 */
export function enforceUma<R extends UmaRequest>(options: EnforceUmaOptions<R>): (request: R) => Promise<UmaDecision> {
  return async (request) => {
    const resourceId = await options.resourceIdFor(request);
    if (resourceId === undefined) return forbidden('forbidden', 'this resource is not available under UMA');
    const scope = options.scopeFor(request);
    const token = bearer(request);
    let reason: RptRejection | undefined;
    if (token !== undefined) {
      const verdict = await options.rs.verifyRpt(token, resourceId, scope);
      if (verdict.ok) return { allow: true, subject: verdict.subject, clientId: verdict.clientId, claims: verdict.claims, permissions: verdict.permissions };
      reason = verdict.reason;
    }
    let ticket: string;
    let asUri: string;
    try {
      asUri = (await options.rs.discovery()).issuer;
      ticket = await options.rs.createTicket(resourceId, [scope]);
    } catch (error) {
      if (isWaggleError(error) && error.code !== 'unavailable') return forbidden('forbidden', `no permission ticket: ${error.message}`);
      return forbidden('uma_unavailable', 'the UMA authorisation server cannot be reached', { warning: '199 - "UMA Authorization Server Unreachable"' });
    }
    const description = token === undefined ? 'an RPT is required; ask the authorisation server with this ticket' : `the RPT was refused (${reason ?? 'invalid'}); ask the authorisation server with this ticket`;
    const decision: UmaDecision = {
      allow: false,
      status: 401,
      headers: { 'www-authenticate': wwwAuthenticateHeader({ realm: options.realm, asUri, ticket }) },
      body: { error: token === undefined ? 'uma_required' : 'invalid_rpt', error_description: description },
    };
    return reason === undefined ? decision : { ...decision, reason };
  };
}
