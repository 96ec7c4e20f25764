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
import type { Services } from './http/context.js';

/** Builds every use case over the given adapters; admin changes invalidate the auth cache. */
export function createServices(deps: CoreDeps): Services {
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
