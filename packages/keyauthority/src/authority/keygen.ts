import type { Secret } from '@waggle/errors';
import { fameCodec, type AbeWorkerPool, type Fame, type MasterKeyJson, type SecretKeyJson } from '@waggle/abe';

/** Generates user keys from the master secret. */
export type Keygen = (attributes: readonly string[]) => Promise<SecretKeyJson>;

/** Key generation on the calling thread (tests, small deployments). */
export function inProcessKeygen(fame: Fame, masterSecret: Secret): Keygen {
  const codec = fameCodec(fame.backend);
  const master = codec.decodeMasterKey(JSON.parse(masterSecret.reveal()));
  return (attributes) => Promise.resolve(codec.encodeSecretKey(fame.keygen(master, attributes)));
}

/** Key generation on `@waggle/abe`'s worker pool, off the service's event loop. */
export function workerPoolKeygen(pool: AbeWorkerPool, masterSecret: Secret): Keygen {
  const master = JSON.parse(masterSecret.reveal()) as MasterKeyJson;
  return (attributes) => pool.keygen(master, attributes);
}
