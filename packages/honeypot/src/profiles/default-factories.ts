import { InputError } from '@waggle/errors';
import { startFtpService } from '../ftp/ftp-service.js';
import { DEFAULT_SYSTEM } from '../shell/system-profile.js';
import { startRedisService } from '../redis/redis-service.js';
import { startSshService } from '../ssh/ssh-service.js';
import { startTelnetService } from '../telnet/telnet-service.js';
import type { Profile } from './profile-types.js';
import type { LureProfile } from './profile-types.js';
import type { ServiceFactories, ServiceFactory } from './service-factory.js';
import { startHttpService } from '../http/http-service.js';

/** The HTTP lure factory. */
export const httpFactory: ServiceFactory = (profile, listen, deps) => {
  if (profile.http === undefined) throw new InputError(`Profile "${profile.name}" has no http part`, { field: 'http', file: profile.source });
  return startHttpService({ ...listen, profile: profile as LureProfile }, deps);
};

/** What the non-HTTP services need besides the profile. */
export interface FactoryOptions {
  /** Folder of the SSH host key (kept across restarts so the fingerprint stays the same). */
  hostKeyDir: string;
}

/** Reads a profile's service options with checks that name the file and the field. */
function optionReader(profile: Profile) {
  const fail = (key: string, what: string): never => {
    throw new InputError(`Invalid honeypot profile ${profile.source}: options.${key} must be ${what}`, { field: `options.${key}`, file: profile.source });
  };
  const o = profile.options;
  return {
    string: (key: string): string | undefined => (o[key] === undefined ? undefined : typeof o[key] === 'string' ? o[key] : fail(key, 'a string')),
    strings: (key: string): string[] | undefined => (o[key] === undefined ? undefined : Array.isArray(o[key]) && o[key].every((s) => typeof s === 'string') ? (o[key] as string[]) : fail(key, 'an array of strings')),
    bool: (key: string): boolean | undefined => (o[key] === undefined ? undefined : typeof o[key] === 'boolean' ? o[key] : fail(key, 'true or false')),
    int: (key: string): number | undefined => (o[key] === undefined ? undefined : Number.isInteger(o[key]) ? (o[key] as number) : fail(key, 'an integer')),
  };
}

/** `T` with its possibly-undefined properties made optional, for `exactOptionalPropertyTypes`. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };

/** Drops undefined options so each service applies its own default. */
const defined = <T extends object>(o: T): Defined<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;

/**
 * The factories of every service in this package, mapping each profile's
 * `options` onto its service's configuration (`version`, `userdb`, `hostname`,
 * `banner`, …); an SSH profile's `ssh_detectors` become the SSH service's `detectors`.
 */
export function defaultFactories(options: FactoryOptions): ServiceFactories {
  return {
    http: httpFactory,
    ssh: (profile, listen, deps) => {
      const r = optionReader(profile);
      const hostname = r.string('hostname');
      return startSshService(defined({ ...listen, hostKeyDir: options.hostKeyDir, version: r.string('version'), userdb: r.strings('userdb'), acceptPublicKeys: r.bool('acceptPublicKeys'), maxAuthAttempts: r.int('maxAuthAttempts'), system: hostname === undefined ? undefined : { ...DEFAULT_SYSTEM, hostname }, detectors: profile.ssh_detectors.length === 0 ? undefined : profile.ssh_detectors }), deps);
    },
    telnet: (profile, listen, deps) => {
      const r = optionReader(profile);
      const hostname = r.string('hostname');
      return startTelnetService(defined({ ...listen, userdb: r.strings('userdb'), maxLoginAttempts: r.int('maxLoginAttempts'), banner: r.string('banner'), system: hostname === undefined ? undefined : { ...DEFAULT_SYSTEM, hostname } }), deps);
    },
    redis: (profile, listen, deps) => {
      const r = optionReader(profile);
      return startRedisService(defined({ ...listen, maxStoreBytes: r.int('maxStoreBytes'), maxLoggedArgBytes: r.int('maxLoggedArgBytes') }), deps);
    },
    ftp: (profile, listen, deps) => {
      const r = optionReader(profile);
      return startFtpService(defined({ ...listen, banner: r.string('banner'), allowAnonymous: r.bool('allowAnonymous'), userdb: r.strings('userdb') }), deps);
    },
  };
}
