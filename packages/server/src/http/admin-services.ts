import type {
  OrganisationService,
  UserService,
  RoleService,
  AuthKeyService,
  SharingGroupService,
  UserSettingService,
  UserStatisticsService,
} from '@waggle/core';

/** Administration use cases (organisations, users, roles, auth keys, sharing groups). */
export interface AdminServices {
  readonly organisations: OrganisationService;
  readonly users: UserService;
  readonly roles: RoleService;
  readonly authKeys: AuthKeyService;
  readonly sharingGroups: SharingGroupService;
  /** MISP's per-user settings (`user_settings/*`). */
  readonly userSettings: UserSettingService;
  /** MISP's instance statistics (`users/statistics/{context}`). */
  readonly statistics: UserStatisticsService;
}
