import type { RunningService, ServiceDeps } from '../service.js';
import type { Profile, ProfileService } from './profile-types.js';

/** Where a profile is started. */
export interface ListenAddress {
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
}

/** A service factory, called with the profile (its `options` configure the service). */
export type ServiceFactory = (profile: Profile, listen: ListenAddress, deps: ServiceDeps) => Promise<RunningService>;

/** One factory per service kind. */
export type ServiceFactories = Readonly<Partial<Record<ProfileService, ServiceFactory>>>;
