import { ForbiddenError, UnavailableError } from '@waggle/errors';
import { enforceUma, type ResourceServerClient } from '@waggle/uma';
import type { AuthorityStore } from '../store/authority-store.js';
import { claimsFromPayload, type ClaimsOutcome, type ClaimsVerifier } from './claims.js';

/** The UMA scope a requester needs on the key-issuance resource. */
export const KEY_ISSUANCE_SCOPE = 'issue';

/** Settings of the UMA verifier. */
export interface UmaClaimsVerifierDeps {
  readonly rs: Pick<ResourceServerClient, 'verifyRpt' | 'createTicket' | 'discovery'>;
  /** The AS resource id of the key-issuance resource (see `ensureUmaResource`). */
  readonly resourceId: string;
  readonly realm?: string;
}

/**
 * Makes the key request a UMA-protected resource: no RPT, or one without the `issue`
 * permission on the key-issuance resource, gets a 401 with a fresh permission ticket
 * from the AS; a valid RPT's claims (verified by the AS when it granted the RPT) are the
 * requester's identity. An AS that cannot be reached is `UnavailableError`.
 */
export function createUmaClaimsVerifier(deps: UmaClaimsVerifierDeps): ClaimsVerifier {
  const guard = enforceUma({ rs: deps.rs, realm: deps.realm ?? 'waggle-keyauthority', resourceIdFor: () => deps.resourceId, scopeFor: () => KEY_ISSUANCE_SCOPE });
  return {
    mode: 'uma',
    verify: async (authorization): Promise<ClaimsOutcome> => {
      const decision = await guard({ headers: { authorization } });
      if (decision.allow) {
        const issuer = (await deps.rs.discovery()).issuer;
        const claims = claimsFromPayload(issuer, { ...decision.claims, ...(decision.claims.sub === undefined && decision.subject !== undefined ? { sub: decision.subject } : {}) });
        return typeof claims === 'string' ? { ok: false, reason: `RPT claims unusable: ${claims}`, logged: true } : { ok: true, claims };
      }
      if (decision.status === 403) {
        if (decision.body.error === 'uma_unavailable') throw new UnavailableError('the UMA authorisation server cannot be reached');
        throw new ForbiddenError(decision.body.error_description);
      }
      return { ok: false, reason: decision.body.error_description, challenge: decision.headers['www-authenticate'] ?? '', logged: decision.reason !== undefined };
    },
  };
}

/**
 * Registers the key-issuance resource at the AS once and remembers its id in the store
 * (per AS), so restarts reuse it and the owner's policy stays attached.
 */
export async function ensureUmaResource(rs: Pick<ResourceServerClient, 'registerResource' | 'getResource' | 'discovery'>, store: Pick<AuthorityStore, 'setting' | 'setSetting'>): Promise<string> {
  const name = `uma_resource_id ${(await rs.discovery()).issuer}`;
  const known = store.setting(name);
  if (known !== undefined) {
    try {
      await rs.getResource(known);
      return known;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'not_found')) throw error;
    }
  }
  const { _id } = await rs.registerResource({ name: 'CP-ABE key issuance', type: 'https://waggle.example/uma/abe-key', resource_scopes: [KEY_ISSUANCE_SCOPE], description: 'Issue a CP-ABE user key whose attributes come from the requester\'s verified claims' });
  store.setSetting(name, _id);
  return _id;
}
