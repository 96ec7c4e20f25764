import {
  createAttributeService,
  createAuthKeyService,
  createAuthService,
  createEventService,
  createObjectService,
  createOrganisationService,
  createRoleService,
  createSharingGroupService,
  createSightingService,
  createTagService,
  createUserService,
  type CoreDeps,
} from '@waggle/core';
import type { Kysely } from 'kysely';
import type { Database } from '@waggle/store';
import type { Services } from './http/context.js';
import { createIntelDocuments } from '@waggle/store';
import { createIntelService, withTaxonomyRules } from './intel/index.js';
import { createSyncService } from './sync/sync-service.js';
import { createFeedService } from './feeds/index.js';
import { createFeedStore } from '@waggle/store';

/** Adapters beyond the core's ports that some services need. */
export interface ServiceAdapters {
  /** The SQL database behind the store: sharing tables (sync state, blocklists, feeds, MISP data sets). */
  readonly db: Kysely<Database>;
  /** HTTP client for remote servers and feeds (tests inject one; default: global fetch). */
  readonly fetch?: typeof fetch;
}

/** Builds every use case over the given adapters; admin changes invalidate the auth cache. */
export function createServices(deps: CoreDeps, adapters: ServiceAdapters): Services {
  const auth = createAuthService(deps);
  const options = { onChange: () => auth.invalidate() };
  const events = createEventService(deps);
  const sharingGroups = createSharingGroupService(deps, options);
  const intel = createIntelService({ documents: createIntelDocuments(adapters.db), store: deps.store });
  return {
    auth,
    events,
    attributes: createAttributeService(deps),
    objects: createObjectService(deps),
    tags: withTaxonomyRules(createTagService(deps), { intel, store: deps.store }),
    sightings: createSightingService(deps),
    admin: {
      organisations: createOrganisationService(deps, options),
      users: createUserService(deps, options),
      roles: createRoleService(deps, options),
      authKeys: createAuthKeyService(deps, options),
      sharingGroups,
    },
    intel,
    feeds: createFeedService({ feedStore: createFeedStore(adapters.db), store: deps.store, events, auth, clock: deps.clock, db: adapters.db, ...(adapters.fetch !== undefined ? { fetch: adapters.fetch } : {}) }),
    sync: createSyncService({ core: deps, db: adapters.db, events, sharingGroups, ...(adapters.fetch !== undefined ? { fetch: adapters.fetch } : {}) }),
  };
}
