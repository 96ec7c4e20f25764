import { randomUUID } from 'node:crypto';
import type { Permission, RequesterClaims } from '../../common/uma-types.js';
import { CLAIM_TOKEN_FORMATS, type ClaimTokenVerifier } from '../claims/claim-token.js';
import type { KeyRing } from '../keys/key-ring.js';
import { randomToken, tokenHash } from '../keys/secrets.js';
import type { UmaStore } from '../store/uma-store.js';
import { decide } from './decide.js';
import { readOwnRpt, signRpt } from './rpt.js';
import type { Tickets } from './tickets.js';

/** Token endpoint parameters of the UMA grant (UMA 2.0 Grant §3.3.1). */
export interface UmaGrantParams {
  readonly ticket?: string | undefined;
  readonly claim_token?: string | undefined;
  readonly claim_token_format?: string | undefined;
  readonly pct?: string | undefined;
  readonly rpt?: string | undefined;
  readonly scope?: string | undefined;
}

/** The HTTP-independent answer: a status and an OAuth JSON body. */
export interface GrantResult {
  readonly status: 200 | 400 | 403;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Dependencies of the UMA grant. */
export interface UmaGrantDeps {
  readonly store: UmaStore;
  readonly keys: KeyRing;
  readonly tickets: Tickets;
  readonly verifyClaimToken: ClaimTokenVerifier;
  readonly now: () => number;
  readonly issuer: string;
  readonly trustedIssuers: readonly string[];
  /** The claims interaction endpoint, offered as `redirect_user` in `need_info` (omit to disable). */
  readonly claimsInteractionEndpoint?: string;
  readonly rptLifetimeSec: number;
  readonly pctLifetimeMs: number;
  /** Seconds a client should wait between polls after `request_submitted`. */
  readonly pollIntervalSec: number;
}

const error = (status: 400 | 403, code: string, description: string, extra: Record<string, unknown> = {}): GrantResult => ({ status, body: { error: code, error_description: description, ...extra } });

const permissionsKey = (permissions: readonly Permission[]): string =>
  JSON.stringify([...permissions].map((p) => ({ resource_id: p.resource_id, resource_scopes: [...p.resource_scopes].sort() })).sort((a, b) => a.resource_id.localeCompare(b.resource_id)));

/** Adds the `scope` parameter's scopes to the ticket's permissions; `undefined` when one is registered for no ticket resource. */
function widen(store: UmaStore, permissions: readonly Permission[], scope: string | undefined): Permission[] | undefined {
  const extra = (scope ?? '').split(' ').filter((s) => s !== '');
  const out = permissions.map((p) => ({ resource_id: p.resource_id, resource_scopes: [...p.resource_scopes] }));
  for (const s of extra) {
    let placed = false;
    for (const p of out) {
      if (!(store.getResource(p.resource_id)?.description.resource_scopes.includes(s) ?? false)) continue;
      placed = true;
      if (!p.resource_scopes.includes(s)) p.resource_scopes.push(s);
    }
    if (!placed) return undefined;
  }
  return out;
}

/** Creates the handler of `grant_type=urn:ietf:params:oauth:grant-type:uma-ticket` for an authenticated client. */
export function createUmaGrant(deps: UmaGrantDeps): (clientId: string, params: UmaGrantParams) => Promise<GrantResult> {
  return async (clientId, params) => {
    if (params.claim_token !== undefined && params.claim_token_format === undefined) return error(400, 'invalid_request', 'claim_token_format is required with claim_token');
    if (params.ticket === undefined || params.ticket === '') return error(400, 'invalid_grant', 'the ticket parameter is required');
    const ticket = deps.tickets.redeem(params.ticket);
    if (ticket === undefined) return error(400, 'invalid_grant', 'the permission ticket is unknown, expired or already used');
    if (ticket.permissions.some((p) => deps.store.getResource(p.resource_id) === undefined)) return error(400, 'invalid_grant', 'a resource of this ticket no longer exists');
    const requested = widen(deps.store, ticket.permissions, params.scope);
    if (requested === undefined) return error(400, 'invalid_scope', 'a requested scope is not registered for the resources of this ticket');

    const gathered: Record<string, string | readonly string[]> = { ...(ticket.claims ?? {}) };
    let pct = params.pct;
    if (pct !== undefined) {
      const stored = deps.store.getPct(tokenHash(pct));
      if (stored === undefined || stored.clientId !== clientId || stored.expiresAt <= deps.now()) return error(400, 'invalid_grant', 'the PCT is unknown, expired or belongs to another client');
      Object.assign(gathered, stored.claims);
    }
    let previous: Awaited<ReturnType<typeof readOwnRpt>>;
    if (params.rpt !== undefined) {
      previous = await readOwnRpt(deps.keys, deps.issuer, deps.now, params.rpt);
      if (previous === undefined || previous.azp !== clientId) return error(400, 'invalid_grant', 'the RPT to upgrade is invalid, expired or was issued to another client');
    }
    const rotate = (claims: RequesterClaims): string => deps.tickets.issue(requested, Object.keys(claims).length === 0 ? null : claims);
    const needInfo = (names: readonly string[], why: string): GrantResult =>
      error(403, 'need_info', why, {
        ticket: rotate(gathered),
        required_claims: names.map((name) => ({ name, friendly_name: name, claim_token_format: [...CLAIM_TOKEN_FORMATS], issuer: [...deps.trustedIssuers] })),
        ...(deps.claimsInteractionEndpoint === undefined ? {} : { redirect_user: deps.claimsInteractionEndpoint }),
      });

    if (params.claim_token !== undefined && params.claim_token_format !== undefined) {
      const verdict = await deps.verifyClaimToken(params.claim_token, params.claim_token_format);
      if (!verdict.ok) return needInfo(['sub'], `claims not accepted: ${verdict.message}`);
      Object.assign(gathered, verdict.claims);
      pct = undefined;
    }

    const decision = decide(deps.store, requested, gathered);
    const subject = typeof gathered.sub === 'string' ? gathered.sub : null;
    if (decision.kind === 'need_info') return needInfo(decision.claimNames, 'the policy needs more claims about the requesting party');
    if (decision.kind === 'denied') return error(403, 'request_denied', 'the resource owner does not grant this access');
    if (decision.kind === 'ask') {
      const key = permissionsKey(requested);
      const existing = deps.store.findRequest(clientId, subject, key);
      if (existing?.status === 'denied') return error(403, 'request_denied', 'the resource owner denied this request');
      if (existing?.status !== 'approved') {
        const next = rotate(gathered);
        if (existing === undefined) deps.store.addRequest({ id: randomUUID(), owner: decision.owner, clientId, subject, claims: gathered, permissions: JSON.parse(key) as Permission[], status: 'pending', ticketHash: tokenHash(next), createdAt: deps.now() });
        else deps.store.updateRequest(existing.id, { ticketHash: tokenHash(next) });
        return error(403, 'request_submitted', 'the resource owner has been asked; poll again with the new ticket', { ticket: next, interval: deps.pollIntervalSec });
      }
    }

    const nowSec = Math.floor(deps.now() / 1000);
    const oldExp = typeof previous?.exp === 'number' ? previous.exp : nowSec;
    const carried = ((previous?.permissions ?? []) as Permission[]).map((p) => ({ ...p, exp: p.exp ?? oldExp })).filter((p) => p.exp > nowSec);
    const audience = new Set<string>(Array.isArray(previous?.aud) ? previous.aud : []);
    for (const p of requested) audience.add(deps.store.getResource(p.resource_id)?.clientId ?? '');
    audience.delete('');
    const { token, exp } = await signRpt(deps.keys, deps.issuer, deps.now, { clientId, audience: [...audience], claims: gathered, permissions: [...requested, ...carried], lifetimeSec: deps.rptLifetimeSec });
    if (pct === undefined && Object.keys(gathered).length > 0) {
      pct = randomToken();
      deps.store.addPct({ pctHash: tokenHash(pct), clientId, claims: gathered, expiresAt: deps.now() + deps.pctLifetimeMs });
    }
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: exp - nowSec, ...(pct === undefined ? {} : { pct }), ...(previous === undefined ? {} : { upgraded: true }) } };
  };
}
