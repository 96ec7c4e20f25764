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
  return {
    auth,
    events: createEventService(deps),
    attributes: createAttributeService(deps),
    objects: createObjectService(deps),
    tags: createTagService(deps),
    sightings: createSightingService(deps),
    admin: {
      organisations: createOrganisationService(deps, options),
      users: createUserService(deps, options),
      roles: createRoleService(deps, options),
      authKeys: createAuthKeyService(deps, options),
      sharingGroups: createSharingGroupService(deps, options),
    },
  };
}
