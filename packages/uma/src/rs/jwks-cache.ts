import { importJWK, type JWK, type JWSHeaderParameters } from 'jose';
import { UnavailableError } from '@waggle/errors';
import { fetchJson, type FetchLike } from '../common/http.js';

/** A verification key as jose takes it. */
export type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/** Dependencies of a JWKS cache. */
export interface JwksCacheDeps {
  readonly jwksUri: () => Promise<string>;
  readonly fetch: FetchLike;
  readonly now: () => number;
  /** Least time between two refreshes caused by unknown `kid`s (guards the AS against floods). */
  readonly refreshCooldownMs: number;
}

/** Key lookup by `kid`; refreshes the key set once when a token names an unknown key. */
export interface JwksCache {
  readonly keyFor: (header: JWSHeaderParameters) => Promise<VerifyKey | undefined>;
  readonly refresh: () => Promise<void>;
}

/**
 * Caches an AS's JSON Web Key Set in memory so that RPT verification needs no
 * network round trip; a token signed with a new key (after rotation) triggers
 * one refresh, rate-limited by `refreshCooldownMs`.
 */
export function createJwksCache(deps: JwksCacheDeps): JwksCache {
  let keys = new Map<string, { alg: string; key: VerifyKey }>();
  let lastRefresh = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  async function load(): Promise<void> {
    const uri = await deps.jwksUri();
    const response = await fetchJson(deps.fetch, uri);
    const body = response.body as { keys?: unknown } | undefined;
    if (response.status !== 200 || !Array.isArray(body?.keys)) throw new UnavailableError(`JWKS at ${uri} answered ${response.status} without a key set`);
    const next = new Map<string, { alg: string; key: VerifyKey }>();
    for (const jwk of body.keys as JWK[]) {
      if (typeof jwk.kid !== 'string' || typeof jwk.alg !== 'string') continue;
      next.set(jwk.kid, { alg: jwk.alg, key: await importJWK(jwk, jwk.alg) });
    }
    keys = next;
    lastRefresh = deps.now();
  }

  function refresh(): Promise<void> {
    inflight ??= load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    refresh,
    async keyFor(header) {
      const kid = header.kid;
      if (kid === undefined) return undefined;
      const known = keys.get(kid);
      if (known !== undefined) return known.alg === header.alg ? known.key : undefined;
      if (deps.now() - lastRefresh < deps.refreshCooldownMs) return undefined;
      await refresh();
      const fresh = keys.get(kid);
      return fresh !== undefined && fresh.alg === header.alg ? fresh.key : undefined;
    },
  };
}
