import Fastify, { type FastifyInstance } from 'fastify';
import type { FetchLike } from '../../common/http.js';
import { PROTECTION_SCOPE, UMA_TICKET_GRANT, type UmaDiscovery } from '../../common/uma-types.js';
import { CLAIM_TOKEN_FORMATS, createClaimTokenVerifier, type TrustedIssuer } from '../claims/claim-token.js';
import { createTickets } from '../grant/tickets.js';
import { createUmaGrant } from '../grant/uma-grant.js';
import { createKeyRing, RPT_ALG, type KeyRing } from '../keys/key-ring.js';
import type { UmaStore } from '../store/uma-store.js';
import { registerClaimsRoutes } from './claims-routes.js';
import type { UmaContext } from './context.js';
import { addFormParser, addPatGuard } from './oauth-http.js';
import { registerOwnerRoutes } from './owner-routes.js';
import { registerProtectionRoutes } from './protection-routes.js';
import { registerTokenRoutes } from './token-routes.js';

/** Options of `createUmaServer`. Lifetimes are in seconds. */
export interface UmaServerOptions {
  /** The AS's public base URL (no trailing slash); all endpoint URLs derive from it. */
  readonly issuer: string;
  readonly store: UmaStore;
  /** Identity providers whose ID tokens / JWTs are accepted as pushed claims. */
  readonly trustedIssuers?: readonly TrustedIssuer[];
  /** Offer interactive claims gathering (`redirect_user`) in `need_info` (default true). */
  readonly claimsInteraction?: boolean;
  readonly patLifetimeSec?: number;
  readonly rptLifetimeSec?: number;
  readonly ticketLifetimeSec?: number;
  readonly pctLifetimeSec?: number;
  readonly pollIntervalSec?: number;
  readonly now?: () => number;
  readonly fetch?: FetchLike;
}

/** A built AS: the Fastify app (not yet listening) and its key ring (for rotation). */
export interface UmaServer {
  readonly app: FastifyInstance;
  readonly keys: KeyRing;
  readonly discovery: UmaDiscovery;
}

/** The discovery document (UMA 2.0 Grant §2, Federated Authorization §2) for an issuer. */
export function umaDiscovery(issuer: string): UmaDiscovery {
  return {
    issuer,
    authorization_endpoint: `${issuer}/claims`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    introspection_endpoint: `${issuer}/introspect`,
    resource_registration_endpoint: `${issuer}/rreg`,
    permission_endpoint: `${issuer}/perm`,
    claims_interaction_endpoint: `${issuer}/claims`,
    grant_types_supported: [UMA_TICKET_GRANT, 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['bearer'],
    scopes_supported: [PROTECTION_SCOPE],
    response_types_supported: [],
    uma_profiles_supported: [],
    claim_token_profiles_supported: [...CLAIM_TOKEN_FORMATS],
    token_endpoint_auth_signing_alg_values_supported: [],
    rpt_signing_alg_values_supported: [RPT_ALG],
  };
}

/** Builds the UMA 2.0 authorisation server (see packages/uma/README.md for the endpoints). */
export function createUmaServer(options: UmaServerOptions): UmaServer {
  const issuer = options.issuer.replace(/\/$/, '');
  const now = options.now ?? Date.now;
  const store = options.store;
  const rptLifetimeSec = options.rptLifetimeSec ?? 300;
  const keys = createKeyRing({ store, now, maxTokenLifetimeMs: rptLifetimeSec * 1000 });
  const tickets = createTickets({ store, now, ticketTtlMs: (options.ticketLifetimeSec ?? 300) * 1000 });
  const trusted = options.trustedIssuers ?? [];
  const discovery = umaDiscovery(issuer);
  const grant = createUmaGrant({
    store, keys, tickets, now, issuer,
    verifyClaimToken: createClaimTokenVerifier({ trustedIssuers: trusted, fetch: options.fetch ?? ((u, i) => fetch(u, i)), now }),
    trustedIssuers: trusted.map((t) => t.issuer),
    ...(options.claimsInteraction === false ? {} : { claimsInteractionEndpoint: discovery.claims_interaction_endpoint }),
    rptLifetimeSec,
    pctLifetimeMs: (options.pctLifetimeSec ?? 30 * 86_400) * 1000,
    pollIntervalSec: options.pollIntervalSec ?? 5,
  });
  const ctx: UmaContext = { issuer, store, keys, tickets, now, grant, patLifetimeSec: options.patLifetimeSec ?? 3600 };

  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  addFormParser(app);
  addPatGuard(app, store, now, ['/rreg', '/perm', '/introspect', '/policy', '/requests']);
  app.get('/.well-known/uma2-configuration', async () => discovery);
  app.get('/jwks', async (_req, reply) => reply.header('cache-control', 'public, max-age=60').send(keys.jwks()));
  registerTokenRoutes(app, ctx);
  registerProtectionRoutes(app, ctx);
  registerOwnerRoutes(app, ctx);
  registerClaimsRoutes(app, ctx);
  app.setErrorHandler((error: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    void reply.code(status).send({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'internal error' : (error.message ?? 'bad request') });
  });
  return { app, keys, discovery };
}
