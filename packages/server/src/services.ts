import {
  createAttributeService,
  createProposalService,
  createEventDelegationService,
  createEventReportService,
  createAuditLogService,
  createCorrelationExclusionService,
  createServerSettingService,
  createReputationService,
  createProvenanceService,
  createObjectTemplateService,
  createAuditChainService,
  type AuditHeadSigner,
  type TemplateSource,
  createAnalystDataService,
  createAuthKeyService,
  createAuthService,
  createEventService,
  createObjectService,
  createOrganisationService,
  createRoleService,
  createSharingGroupService,
  createSightingService,
  createGalaxyClusterService,
  createTagService,
  createUserService,
  createUserSettingService,
  createUserStatisticsService,
  type CoreDeps,
} from '@waggle/core';
import type { Kysely } from 'kysely';
import type { Database } from '@waggle/store';
import type { Services } from './http/context.js';
import { createIntelDocuments, schemaStatus } from '@waggle/store';
import { createIntelService, withTaxonomyRules } from './intel/index.js';
import { createSyncService } from './sync/sync-service.js';
import { createFeedService } from './feeds/index.js';
import { umaProducers } from './uma/uma-producers.js';
import { createFeedStore } from '@waggle/store';
import { randomBytes } from 'node:crypto';
import { createMemoryKeyStore, type KeyStore, type Policy } from '@waggle/privacy';
import { createOutboundPrivacy } from './privacy/outbound-privacy.js';
import { withAttributePrivacy, withOutboundPrivacy } from './privacy/private-event-service.js';

/** Adapters beyond the core's ports that some services need. */
export interface ServiceAdapters {
  /** The SQL database behind the store: sharing tables (sync state, blocklists, feeds, MISP data sets). */
  readonly db: Kysely<Database>;
  /** HTTP client for remote servers and feeds (tests inject one; default: global fetch). */
  readonly fetch?: typeof fetch;
  /** Outbound anonymisation: the operator's policy (absent = off) and the key store it names keys in. */
  readonly privacy?: { readonly policy?: Policy; readonly keys: KeyStore; readonly onWithheld?: (eventUuid: string, recipient: unknown, reason: string) => void };
  /** The folder of imported object templates, read again by `objectTemplates/update` (absent: update answers 400). */
  readonly templateSource?: TemplateSource;
  /** Signs the audit chain's head (absent: the head is served unsigned). */
  readonly auditSigner?: AuditHeadSigner;
  /**
   * Producers whose events are read under UMA only (WAGGLE_UMA_CONFIG owners in mode `uma`,
   * UUIDs or names): pushes and exported feeds leave their events out (ADR 0013).
   */
  readonly umaProducers?: readonly string[];
}

/** Builds every use case over the given adapters; admin changes invalidate the auth cache. */
export function createServices(deps: CoreDeps, adapters: ServiceAdapters): Services {
  const auth = createAuthService(deps);
  const options = { onChange: () => auth.invalidate() };
  const umaOption = adapters.umaProducers !== undefined && adapters.umaProducers.length > 0 ? { umaProducers: umaProducers(adapters.umaProducers) } : {};
  const events = createEventService(deps);
  const sharingGroups = createSharingGroupService(deps, options);
  const sightings = createSightingService(deps);
  const galaxyClusters = createGalaxyClusterService(deps);
  const keys = adapters.privacy?.keys ?? createMemoryKeyStore({ random: (n) => new Uint8Array(randomBytes(n)), now: () => new Date() });
  const privacy = createOutboundPrivacy({
    policy: adapters.privacy?.policy,
    keys,
    now: () => new Date(deps.clock.now() * 1000),
    ...(adapters.privacy?.onWithheld !== undefined ? { onWithheld: adapters.privacy.onWithheld } : {}),
  });
  const intel = createIntelService({ documents: createIntelDocuments(adapters.db), store: deps.store });
  const auditChain = createAuditChainService(deps, adapters.auditSigner);
  return {
    auth,
    events: withOutboundPrivacy(events, privacy),
    rawEvents: events,
    proposals: createProposalService(deps, createAttributeService(deps)),
    eventDelegations: createEventDelegationService(deps),
    eventReports: createEventReportService(deps),
    auditLog: createAuditLogService(deps),
    correlationExclusions: createCorrelationExclusionService(deps),
    serverSettings: createServerSettingService(deps),
    reputation: createReputationService(deps),
    objectTemplates: createObjectTemplateService(deps, adapters.templateSource),
    auditChain,
    schema: () => schemaStatus(adapters.db),
    provenance: createProvenanceService(deps, auditChain),
    analystData: createAnalystDataService(deps),
    ...withAttributePrivacy({ attributes: createAttributeService(deps), objects: createObjectService(deps), rawEvents: events }, privacy, async () =>
      (await deps.store.read((repos) => repos.listOrganisations({ local: true }))).map((o) => o.id),
    ),
    tags: withTaxonomyRules(createTagService(deps), { intel, store: deps.store }),
    sightings,
    galaxyClusters,
    admin: {
      organisations: createOrganisationService(deps, options),
      users: createUserService(deps, options),
      roles: createRoleService(deps, options),
      authKeys: createAuthKeyService(deps, options),
      sharingGroups,
      userSettings: createUserSettingService(deps),
      statistics: createUserStatisticsService(deps),
    },
    intel,
    privacy,
    privacyKeys: keys,
    feeds: createFeedService({ privacy, ...umaOption, feedStore: createFeedStore(adapters.db), store: deps.store, events, auth, clock: deps.clock, db: adapters.db, ...(adapters.fetch !== undefined ? { fetch: adapters.fetch } : {}) }),
    sync: createSyncService({ privacy, ...umaOption, core: deps, db: adapters.db, events, sharingGroups, sightings, galaxyClusters, ...(adapters.fetch !== undefined ? { fetch: adapters.fetch } : {}) }),
  };
}
