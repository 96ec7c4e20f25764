import type { SchemaStatus } from '@waggle/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SearchRateLimiter } from './search-rate-limit.js';
import { NotFoundError } from '@waggle/errors';
import type {
  AttributeService,
  AuthService,
  EventService,
  ObjectService,
  Principal,
  ProposalService,
  EventDelegationService,
  EventReportService,
  AuditLogService,
  CorrelationExclusionService,
  ServerSettingService,
  ReputationService,
  ProvenanceService,
  ObjectTemplateService,
  AuditChainService,
  AnalystDataService,
  SightingService,
  GalaxyClusterService,
  TagService,
} from '@waggle/core';
import type { AdminServices } from './admin-services.js';
import type { SyncService } from '../sync/sync-service.js';
import type { IntelService } from '../intel/intel-service.js';
import type { FeedService } from '../feeds/index.js';
import type { KeyStore } from '@waggle/privacy';
import type { OutboundPrivacy } from '../privacy/outbound-privacy.js';

/** The use cases the HTTP layer calls. */
export interface Services {
  readonly auth: AuthService;
  /** Events as API readers see them: shaped by the anonymisation policy for readers who are recipients. */
  readonly events: EventService;
  /** Events without outbound anonymisation, for services acting on this instance's own behalf. */
  readonly rawEvents: EventService;
  readonly attributes: AttributeService;
  readonly objects: ObjectService;
  readonly tags: TagService;
  readonly sightings: SightingService;
  /** Proposals (MISP shadow attributes). */
  readonly proposals: ProposalService;
  /** MISP's event delegation: asking another organisation to take an event over. */
  readonly eventDelegations: EventDelegationService;
  /** Event reports (Markdown texts inside events). */
  readonly eventReports: EventReportService;
  /** The audit log as MISP's logs (`admin/logs/index`, `logs/event_index`). */
  readonly auditLog: AuditLogService;
  /** Values that never correlate (site admins). */
  readonly correlationExclusions: CorrelationExclusionService;
  /** MISP's server settings that waggle understands (`servers/serverSettings`, site admins). */
  readonly serverSettings: ServerSettingService;
  /** Source reputation from other organisations' feedback (ADR 0015). */
  readonly reputation: ReputationService;
  /** An event's trail in the hash-chained log: created, changed, pushed, pulled, received (ADR 0015). */
  readonly provenance: ProvenanceService;
  /** The object templates objects are validated with (`objectTemplates/*`). */
  readonly objectTemplates: ObjectTemplateService;
  /** The audit log's hash chain and its signed head (ADR 0014). */
  readonly auditChain: AuditChainService;
  /** Schema versions known to this code and applied to the database (servers/dbSchemaDiagnostic). */
  readonly schema: () => Promise<SchemaStatus>;
  /** MISP 2.5 analyst data (notes, opinions, relationships). */
  readonly analystData: AnalystDataService;
  readonly galaxyClusters: GalaxyClusterService;
  readonly admin: AdminServices;
  /** Server connections, pull/push and blocklists. */
  readonly sync: SyncService;
  /** Taxonomies, galaxies and warninglists (MISP's data sets, imported with `waggle data import`). */
  readonly intel: IntelService;
  /** Feeds: MISP, CSV and freetext feeds, their value cache, and feed export. */
  readonly feeds: FeedService;
  /** The anonymiser on outbound paths (off when no policy is configured). */
  readonly privacy: OutboundPrivacy;
  /** Keys the anonymisation policy names (material never leaves the store). */
  readonly privacyKeys: KeyStore;
}

/** What route modules receive. */
export interface RouteContext {
  readonly services: Services;
  readonly version: string;
  /** MISP's per-role limit on events/attributes restSearch calls (one counter per server process). */
  readonly searchRateLimit: SearchRateLimiter;
  /** The authenticated caller of a request (throws an authentication error otherwise). */
  principal(request: FastifyRequest): Promise<Principal>;
}

/** MISP's success body for actions without a richer answer. */
export function saved(reply: FastifyReply, request: FastifyRequest, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.send({ saved: true, success: true, name: message, message, url: request.url.split('?')[0], ...extra });
}

/** Answers a HEAD request as MISP does: 200 when `check` succeeds, 404 otherwise, no body. */
export async function answerHead(reply: FastifyReply, check: () => Promise<unknown>): Promise<FastifyReply> {
  try {
    await check();
    return await reply.status(200).send();
  } catch {
    return reply.status(404).send();
  }
}

/** MISP's loose boolean flags in bodies and named parameters: true, 1, "1", "true". */
export function isTruthy(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

/** The request body as an object ({} when empty). */
export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

/** Route params and query merged (MISP named parameters end up in the query). */
export function paramsOf(request: FastifyRequest): Record<string, string> {
  return { ...(request.query as Record<string, string>), ...(request.params as Record<string, string>) };
}

/**
 * Whether the principal is a recipient of the outbound anonymisation policy (an external
 * organisation or a sync user while a policy is configured). Such readers get no free text the
 * policy cannot pseudonymise field by field: proposals, event reports, analyst data.
 */
export function isPolicyRecipient(ctx: RouteContext, p: Principal): boolean {
  return ctx.services.privacy.enabled && ctx.services.privacy.recipientOf(p, {}) !== undefined;
}

/** The request's principal; a policy recipient ({@link isPolicyRecipient}) gets not_found with `message`, as if nothing existed. */
export async function principalOutsidePolicy(ctx: RouteContext, request: FastifyRequest, message: string): Promise<Principal> {
  const p = await ctx.principal(request);
  if (isPolicyRecipient(ctx, p)) throw new NotFoundError(message);
  return p;
}
