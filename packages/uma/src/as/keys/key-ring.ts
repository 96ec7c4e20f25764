import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { randomBytes } from 'node:crypto';
import type { VerifyKey } from '../../rs/jwks-cache.js';
import type { UmaStore } from '../store/uma-store.js';

/** The signing algorithm of RPTs (Ed25519). */
export const RPT_ALG = 'EdDSA';

/** The key currently used to sign. */
export interface ActiveKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: VerifyKey;
}

/** RPT signing keys: persisted in the store, rotated on demand, published as a JWKS. */
export interface KeyRing {
  readonly active: () => Promise<ActiveKey>;
  /** Makes a new active key; the old one stays published until every token it signed has expired. */
  readonly rotate: () => Promise<string>;
  readonly jwks: () => { keys: JWK[] };
  readonly verifyKey: (kid: string | undefined) => Promise<VerifyKey | undefined>;
}

/** Dependencies of the key ring. */
export interface KeyRingDeps {
  readonly store: UmaStore;
  readonly now: () => number;
  /** Longest lifetime of a token signed with a key, in ms (how long a retired key stays published). */
  readonly maxTokenLifetimeMs: number;
}

/** Creates the key ring over the store. */
export function createKeyRing(deps: KeyRingDeps): KeyRing {
  const imported = new Map<string, VerifyKey>();
  let current: ActiveKey | undefined;

  async function create(): Promise<ActiveKey> {
    const { privateKey, publicKey } = await generateKeyPair(RPT_ALG, { crv: 'Ed25519', extractable: true });
    const kid = randomBytes(12).toString('base64url');
    const pub = { ...(await exportJWK(publicKey)), kid, alg: RPT_ALG, use: 'sig' };
    const priv = { ...(await exportJWK(privateKey)), kid, alg: RPT_ALG };
    deps.store.addSigningKey({ kid, alg: RPT_ALG, privateJwk: JSON.stringify(priv), publicJwk: JSON.stringify(pub), createdAt: deps.now(), retiredAt: null, expiresAt: null });
    return { kid, alg: RPT_ALG, privateKey };
  }

  async function active(): Promise<ActiveKey> {
    if (current !== undefined) return current;
    const live = deps.store.listSigningKeys().filter((k) => k.retiredAt === null).at(-1);
    current = live === undefined ? await create() : { kid: live.kid, alg: live.alg, privateKey: await importJWK(JSON.parse(live.privateJwk) as JWK, live.alg) };
    return current;
  }

  const published = (): JWK[] => {
    const now = deps.now();
    return deps.store.listSigningKeys().filter((k) => k.expiresAt === null || k.expiresAt > now).map((k) => JSON.parse(k.publicJwk) as JWK);
  };

  return {
    active,
    jwks: () => ({ keys: published() }),
    async rotate() {
      const old = await active();
      const now = deps.now();
      deps.store.retireSigningKey(old.kid, now, now + deps.maxTokenLifetimeMs);
      current = await create();
      return current.kid;
    },
    async verifyKey(kid) {
      if (kid === undefined) return undefined;
      const jwk = published().find((k) => k.kid === kid);
      if (jwk === undefined) return undefined;
      const cached = imported.get(kid);
      if (cached !== undefined) return cached;
      const key = await importJWK(jwk, RPT_ALG);
      imported.set(kid, key);
      return key;
    },
  };
}
