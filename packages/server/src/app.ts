import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { CoreDeps, Principal } from '@waggle/core';
import { handleError } from './http/error-handler.js';
import { rewriteMispUrl } from './http/url-rewrite.js';
import type { RouteContext, Services } from './http/context.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAttributeRoutes } from './routes/attributes.js';
import { registerEventRoutes } from './routes/events.js';
import { registerMiscRoutes } from './routes/misc.js';
import { registerDbSchemaRoutes } from './routes/db-schema.js';
import { registerFreetextImportRoutes } from './routes/freetext-import.js';
import { registerStatisticsRoutes } from './routes/statistics.js';
import { registerObjectRoutes } from './routes/objects.js';
import { registerSightingRoutes } from './routes/sightings.js';
import { registerProposalRoutes } from './routes/proposals.js';
import { registerEventDelegationRoutes } from './routes/event-delegations.js';
import { registerEventReportRoutes } from './routes/event-reports.js';
import { registerLogRoutes } from './routes/logs.js';
import { registerCorrelationExclusionRoutes } from './routes/correlation-exclusions.js';
import { registerServerSettingRoutes } from './routes/server-settings.js';
import { registerUserSettingRoutes } from './routes/user-settings.js';
import { registerReputationRoutes } from './routes/reputation-provenance.js';
import { registerObjectTemplateRoutes } from './routes/object-templates.js';
import { registerAnalystDataRoutes } from './routes/analyst-data.js';
import { registerSightingExchangeRoutes } from './routes/sighting-exchange.js';
import { registerTagRoutes } from './routes/tags.js';
import { registerTagSearchRoutes } from './routes/tag-search.js';
import { registerIntelRoutes } from './routes/intel/register-intel-routes.js';
import { registerStixRoutes } from './routes/stix.js';
import { createEventTaxiiSource } from './taxii/event-taxii-source.js';
import { registerTaxiiRoutes } from './taxii/register-taxii-routes.js';
import { registerBlocklistRoutes } from './routes/sync/blocklist-routes.js';
import { registerServerRoutes } from './routes/sync/server-routes.js';
import { registerMispPeerRoutes } from './routes/sync/misp-peer-routes.js';
import { registerStreamRoutes } from './stream/stream-routes.js';
import { registerFeedRoutes } from './routes/feeds/index.js';
import { registerNativeRoutes } from './native/native-routes.js';
import { registerAnonymizerRoutes } from './routes/anonymizer.js';
import { registerUmaEnforcement } from './uma/uma-enforcement.js';
import { registerUmaResourceRoute } from './uma/uma-resource-route.js';
import { umaSearchScope } from './uma/uma-search-scope.js';
import { createSearchRateLimiter } from './http/search-rate-limit.js';
import { registerAttachmentDownload } from './routes/attachment-download.js';
import type { UmaEventGate } from './uma/uma-gate.js';

/** What the HTTP app needs. */
export interface AppDeps {
  readonly services: Services;
  readonly version: string;
  /** Largest accepted request body in bytes (default 64 MiB). */
  readonly bodyLimit?: number;
  readonly logger?: FastifyServerOptions['logger'];
  /** The bus and store behind `GET /events/stream` (Server-Sent Events); without them the route is absent. */
  readonly stream?: Pick<CoreDeps, 'bus' | 'store'>;
  /** UMA 2.0 on single-event reads (ADR 0013); without it MISP auth keys alone decide. */
  readonly uma?: UmaEventGate;
}

const PRINCIPAL = Symbol('principal');

/** Builds the HTTP app (MISP REST API and waggle's native API); listening is the caller's business. */
export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 64 * 1024 * 1024,
    // HEAD routes are declared explicitly: MISP answers them 200/404 without a body.
    exposeHeadRoutes: false,
    rewriteUrl: (req) => rewriteMispUrl(req.url ?? '/'),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, caseSensitive: false },
    // Only the native API declares schemas; it rejects unknown fields instead of dropping them.
    ajv: { customOptions: { removeAdditional: false } },
  });

  // PyMISP sends `content-type: application/json` with empty bodies (GET, HEAD, body-less POST).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      const e = error as Error & { statusCode?: number; code?: string };
      e.statusCode = 400;
      e.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(e, undefined);
    }
  });
  // Some clients post JSON as text/plain or form content types; treat them as JSON too.
  app.addContentTypeParser(['text/plain', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    try {
      done(null, text.trim() === '' ? {} : (JSON.parse(text) as unknown));
    } catch {
      done(null, {});
    }
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ name: 'Not found', message: `No such endpoint: ${request.method} ${request.url.split('?')[0] ?? ''}`, url: request.url, code: 'not_found' });
  });

  const umaScope = deps.uma === undefined ? undefined : umaSearchScope(deps.services, deps.uma);
  const ctx: RouteContext = {
    services: deps.services,
    searchRateLimit: createSearchRateLimiter(),
    version: deps.version,
    async principal(request) {
      const cached = (request as unknown as Record<symbol, Principal | undefined>)[PRINCIPAL];
      if (cached !== undefined) return cached;
      const header = request.headers.authorization ?? request.headers['x-misp-auth'];
      const first = Array.isArray(header) ? header[0] : header;
      // The native API documents `Bearer <key>`; MISP clients send the raw key.
      const raw = first?.replace(/^\s*Bearer\s+/i, '');
      const authenticated = await deps.services.auth.authenticate(raw, request.ip);
      const p = umaScope === undefined ? authenticated : await umaScope(authenticated);
      (request as unknown as Record<symbol, Principal>)[PRINCIPAL] = p;
      return p;
    },
  };

  if (deps.uma !== undefined) {
    registerUmaEnforcement(app, ctx, deps.uma);
    registerUmaResourceRoute(app, ctx, deps.uma);
  }
  registerMiscRoutes(app, ctx);
  registerDbSchemaRoutes(app, ctx);
  registerFreetextImportRoutes(app, ctx);
  registerStatisticsRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerAttributeRoutes(app, ctx);
  registerAttachmentDownload(app, ctx);
  registerObjectRoutes(app, ctx);
  registerTagRoutes(app, ctx);
  registerTagSearchRoutes(app, ctx);
  registerSightingRoutes(app, ctx);
  registerProposalRoutes(app, ctx);
  registerEventDelegationRoutes(app, ctx);
  registerEventReportRoutes(app, ctx);
  registerLogRoutes(app, ctx);
  registerCorrelationExclusionRoutes(app, ctx);
  registerServerSettingRoutes(app, ctx);
  registerUserSettingRoutes(app, ctx);
  registerReputationRoutes(app, ctx);
  registerObjectTemplateRoutes(app, ctx);
  registerAnalystDataRoutes(app, ctx);
  registerSightingExchangeRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerIntelRoutes(app, ctx);
  registerStixRoutes(app, ctx);
  registerTaxiiRoutes(app, ctx, createEventTaxiiSource({ events: deps.services.events, sharingGroups: deps.services.admin.sharingGroups }), { title: 'waggle TAXII 2.1', description: 'MISP events as STIX 2.1, per sharing group', apiRootPath: '/taxii2/api' });
  registerServerRoutes(app, ctx);
  registerMispPeerRoutes(app, ctx);
  registerBlocklistRoutes(app, ctx);
  if (deps.stream !== undefined) registerStreamRoutes(app, ctx, deps.stream);
  registerFeedRoutes(app, ctx);
  registerAnonymizerRoutes(app, ctx);
  registerNativeRoutes(app, ctx, deps.version);
  return app;
}
