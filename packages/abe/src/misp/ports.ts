import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Envelope } from '../envelope/format.js';
import type { createEnvelopes, DecapsulationCache, Encapsulation } from '../envelope/envelope.js';
import type { PublicKeyJson, SecretKeyJson } from '../fame/codec.js';
import type { FamePublicKey, FameSecretKey } from '../fame/types.js';
import type { AbeWorkerPool } from '../worker/pool.js';

/** One value to seal, bound to its event and attribute (`null` for the event info). */
export interface SealRequest {
  readonly policy: string;
  readonly plaintext: Uint8Array;
  readonly eventUuid: string;
  readonly attributeUuid: string | null;
}

/** Seals values: in this thread or on the worker pool. */
export type Sealer = (request: SealRequest) => Promise<Envelope>;

/** One envelope to open, with the event/attribute it was found on. */
export interface OpenRequest {
  readonly envelope: Envelope;
  readonly eventUuid: string;
  readonly attributeUuid: string | null;
}

/** Opens envelopes with one user key; `attributes` are the key's attributes. */
export interface Opener {
  readonly attributes: readonly string[];
  open(request: OpenRequest): Promise<Uint8Array>;
}

type Envelopes = ReturnType<typeof createEnvelopes>;

/**
 * A sealer running in this thread. It encapsulates once per policy and event
 * (see `Encapsulation`): protecting an event of 1,000 values under one policy
 * costs one CP-ABE encryption, not 1,000.
 */
export function envelopeSealer(deps: { readonly envelopes: Envelopes; readonly publicKey: FamePublicKey; readonly signingKey?: KeyObject | undefined }): Sealer {
  const encapsulations = new Map<string, Encapsulation>();
  return async (r) => {
    const scope = `${r.eventUuid}\n${r.policy}`;
    let encapsulation = encapsulations.get(scope);
    if (encapsulation === undefined) {
      encapsulation = deps.envelopes.encapsulate(deps.publicKey, r.policy);
      encapsulations.set(scope, encapsulation);
    }
    return deps.envelopes.seal({ publicKey: deps.publicKey, policy: r.policy, plaintext: r.plaintext, eventUuid: r.eventUuid, attributeUuid: r.attributeUuid ?? undefined, signingKey: deps.signingKey, encapsulation });
  };
}

/**
 * An opener running in this thread; with `verifyKey`, every envelope must carry
 * that producer's signature. Envelopes sharing an encapsulation cost one CP-ABE
 * decryption for the opener's lifetime.
 */
export function envelopeOpener(deps: { readonly envelopes: Envelopes; readonly secretKey: FameSecretKey; readonly verifyKey?: KeyObject | undefined }): Opener {
  const cache: DecapsulationCache = new Map();
  return {
    attributes: deps.secretKey.attributes,
    open: async (r) => deps.envelopes.open({ envelope: r.envelope, secretKey: deps.secretKey, verifyKey: deps.verifyKey, eventUuid: r.eventUuid, attributeUuid: r.attributeUuid ?? undefined, cache }).plaintext,
  };
}

/** A sealer on the worker pool (keys in their JSON / PEM forms). */
export function poolSealer(pool: AbeWorkerPool, keys: { readonly publicKey: PublicKeyJson; readonly signingKeyPem?: string | undefined }): Sealer {
  if (keys.signingKeyPem !== undefined) createPrivateKey(keys.signingKeyPem); // fail here, not in every worker call
  return (r) => pool.seal({
    publicKey: keys.publicKey, policy: r.policy, plaintext: r.plaintext, eventUuid: r.eventUuid,
    ...(r.attributeUuid !== null ? { attributeUuid: r.attributeUuid } : {}),
    ...(keys.signingKeyPem !== undefined ? { signingKeyPem: keys.signingKeyPem } : {}),
  });
}

/** An opener on the worker pool. */
export function poolOpener(pool: AbeWorkerPool, keys: { readonly secretKey: SecretKeyJson; readonly verifyKeyPem?: string | undefined }): Opener {
  if (keys.verifyKeyPem !== undefined) createPublicKey(keys.verifyKeyPem);
  return {
    attributes: keys.secretKey.attributes,
    open: async (r) => (await pool.open({
      envelope: r.envelope, secretKey: keys.secretKey, eventUuid: r.eventUuid,
      ...(r.attributeUuid !== null ? { attributeUuid: r.attributeUuid } : {}),
      ...(keys.verifyKeyPem !== undefined ? { verifyKeyPem: keys.verifyKeyPem } : {}),
    })).plaintext,
  };
}
