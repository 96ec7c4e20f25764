import type {
  OrganisationService,
  UserService,
  RoleService,
  AuthKeyService,
  SharingGroupService,
} from '@waggle/core';

/** Administration use cases (organisations, users, roles, auth keys, sharing groups). */
export interface AdminServices {
  readonly organisations: OrganisationService;
  readonly users: UserService;
  readonly roles: RoleService;
  readonly authKeys: AuthKeyService;
  readonly sharingGroups: SharingGroupService;
}
