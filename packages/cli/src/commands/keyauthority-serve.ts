import { InputError, Secret } from '@waggle/errors';
import { createAbeWorkerPool, createBackend, createFame, systemRandom } from '@waggle/abe';
import { createResourceServerClient } from '@waggle/uma';
import {
  createJwtClaimsVerifier, createKeyAuthority, createKeyAuthorityServer, createUmaClaimsVerifier, ensureUmaResource, inProcessKeygen, issuerKeys, listenKeyAuthority, openAuthorityDir, workerPoolKeygen,
  type ClaimsVerifier, type Keygen,
} from '@waggle/keyauthority';

/** Validated settings of `waggle keyauthority serve`. */
export interface KeyAuthorityServeConfig {
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  readonly oidc?: { readonly issuer: string; readonly jwks: string; readonly audience?: string };
  readonly uma?: { readonly asUri: string; readonly clientId: string; readonly clientSecret: Secret };
  readonly maxPastEpochs: number;
  /** Key-generation worker threads; 0 runs key generation on the main thread. */
  readonly workers: number;
}

/** Raw `serve` options as commander gives them. */
export interface ServeOpts { dir: string; host?: string; port?: string; issuer?: string; issuerJwks?: string; audience?: string; umaAs?: string; umaClientId?: string; umaClientSecret?: string; maxPastEpochs?: string; workers?: string }

function integer(text: string | undefined, field: string, fallback: number, min: number, max: number): number {
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${field} must be an integer from ${String(min)} to ${String(max)}, got "${String(text)}"`, { field });
  return n;
}

/** Checks the `serve` options, reporting every problem at once. */
export function serveConfig(o: ServeOpts, env: NodeJS.ProcessEnv): KeyAuthorityServeConfig {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  const port = attempt(() => integer(o.port, 'port', 8090, 0, 65535), 0);
  const maxPastEpochs = attempt(() => integer(o.maxPastEpochs, 'max-past-epochs', 12, 0, 120), 0);
  const workers = attempt(() => integer(o.workers, 'workers', 1, 0, 16), 0);
  const oidcGiven = o.issuer !== undefined || o.issuerJwks !== undefined;
  const umaSecret = o.umaClientSecret ?? env.WAGGLE_UMA_CLIENT_SECRET;
  const umaGiven = o.umaAs !== undefined || o.umaClientId !== undefined;
  if (oidcGiven === umaGiven) problems.push('choose one identity mode: --issuer with --issuer-jwks (OIDC), or --uma-as with --uma-client-id and --uma-client-secret (UMA)');
  if (oidcGiven && (o.issuer === undefined || o.issuerJwks === undefined)) problems.push('OIDC mode needs both --issuer and --issuer-jwks');
  if (umaGiven && (o.umaAs === undefined || o.umaClientId === undefined || umaSecret === undefined)) problems.push('UMA mode needs --uma-as, --uma-client-id and --uma-client-secret (or WAGGLE_UMA_CLIENT_SECRET)');
  for (const [flag, url] of [['--uma-as', o.umaAs], ['--issuer', o.issuer]] as const) if (url !== undefined && !URL.canParse(url)) problems.push(`${flag} must be a URL, got "${url}"`);
  if (problems.length > 0) throw new InputError(problems.join('; '), { problems });
  return {
    dir: o.dir, host: o.host ?? '127.0.0.1', port, maxPastEpochs, workers,
    ...(oidcGiven ? { oidc: { issuer: o.issuer ?? '', jwks: o.issuerJwks ?? '', ...(o.audience === undefined ? {} : { audience: o.audience }) } } : {}),
    ...(umaGiven ? { uma: { asUri: o.umaAs ?? '', clientId: o.umaClientId ?? '', clientSecret: new Secret(umaSecret ?? '') } } : {}),
  };
}

/** A running key authority service. */
export interface RunningKeyAuthority {
  readonly url: string;
  readonly mode: string;
  close(): Promise<void>;
}

/** Wires and starts the key authority service (the composition root of `serve`). */
export async function startKeyAuthorityService(config: KeyAuthorityServeConfig, log: (m: string) => void, now: () => Date = () => new Date()): Promise<RunningKeyAuthority> {
  const dir = openAuthorityDir(config.dir);
  const closers: (() => Promise<void> | void)[] = [() => dir.store.close()];
  try {
    let keygen: Keygen;
    if (config.workers === 0) {
      keygen = inProcessKeygen(createFame({ backend: await createBackend('mcl'), random: systemRandom }), dir.masterSecret);
    } else {
      const pool = createAbeWorkerPool({ size: config.workers, backend: 'mcl' });
      closers.push(() => pool.close());
      keygen = workerPoolKeygen(pool, dir.masterSecret);
    }
    let verifier: ClaimsVerifier;
    if (config.uma !== undefined) {
      const rs = createResourceServerClient({ asUri: config.uma.asUri, clientId: config.uma.clientId, clientSecret: config.uma.clientSecret });
      verifier = createUmaClaimsVerifier({ rs, resourceId: await ensureUmaResource(rs, dir.store) });
    } else if (config.oidc !== undefined) {
      verifier = createJwtClaimsVerifier({ issuer: config.oidc.issuer, keys: issuerKeys(config.oidc.jwks), now, ...(config.oidc.audience === undefined ? {} : { audience: config.oidc.audience }) });
    } else {
      throw new InputError('no identity mode configured', { field: 'issuer' });
    }
    const authority = createKeyAuthority({ store: dir.store, keygen, now, epochPeriod: dir.epochPeriod, maxPastEpochs: config.maxPastEpochs });
    const app = createKeyAuthorityServer({ authority, verifier, publicParams: dir.publicParams, store: dir.store, isAdminToken: dir.isAdminToken, onEvent: log });
    const listening = await listenKeyAuthority(app, config.host, config.port);
    closers.unshift(() => listening.close());
    return {
      url: listening.url, mode: verifier.mode,
      close: async () => {
        for (const c of closers) await c();
      },
    };
  } catch (error) {
    for (const c of closers) await c();
    throw error;
  }
}
