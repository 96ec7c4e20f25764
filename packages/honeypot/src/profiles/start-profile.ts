import { InputError } from '@waggle/errors';
import type { RunningService, ServiceDeps } from '../service.js';
import { defaultFactories } from './default-factories.js';
import type { Profile } from './profile-types.js';
import type { ListenAddress, ServiceFactories } from './service-factory.js';


/** {@link ServiceDeps} plus what choosing a factory needs. */
export interface StartProfileDeps extends ServiceDeps {
  /** Folder of the SSH host key; required for SSH profiles when `factories` is not given. */
  hostKeyDir?: string;
  /** Replaces the package's factories (tests, embedding). */
  factories?: ServiceFactories;
}

/** Starts `profile` on `listen` with the factory for its service kind. */
export async function startProfile(profile: Profile, listen: ListenAddress, deps: StartProfileDeps): Promise<RunningService> {
  const { hostKeyDir, factories, ...serviceDeps } = deps;
  if (factories === undefined && profile.service === 'ssh' && hostKeyDir === undefined) throw new InputError(`Profile "${profile.name}" is an SSH profile: a host key folder is needed`, { field: 'hostKeyDir' });
  const table = factories ?? defaultFactories({ hostKeyDir: hostKeyDir ?? '' });
  const factory = table[profile.service];
  if (factory === undefined) throw new InputError(`No service can run profile "${profile.name}" (service ${profile.service})`, { field: 'profile' });
  return factory(profile, listen, serviceDeps);
}
