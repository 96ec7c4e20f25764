import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { PairingBackend } from '../pairing/backend.js';
import { createFame } from '../fame/fame.js';
import { fameCodec } from '../fame/codec.js';
import { createEnvelopes, type DecapsulationCache, type Encapsulation } from '../envelope/envelope.js';
import type { FamePublicKey, FameSecretKey } from '../fame/types.js';
import type { RandomSource } from '../random/random.js';
import type { PublicKeyJson, SecretKeyJson } from '../fame/codec.js';
import type { WorkerOps } from './protocol.js';

/** A small map that forgets its oldest entry past `limit`. */
function bounded<V>(limit: number): { get(key: string): V | undefined; set(key: string, value: V): V } {
  const map = new Map<string, V>();
  return {
    get: (key) => map.get(key),
    set(key, value) {
      map.set(key, value);
      if (map.size > limit) map.delete(map.keys().next().value as string);
      return value;
    },
  };
}

/**
 * The operations behind the worker protocol (also usable in-thread; tests call them directly).
 * Each thread keeps the keys it decoded last, the encapsulation of each recent
 * event and policy (one CP-ABE encryption per event and policy, as in-thread),
 * and what each recent secret key decapsulated.
 */
export function createWorkerOps(backend: PairingBackend, random: RandomSource): WorkerOps {
  const fame = createFame({ backend, random });
  const codec = fameCodec(backend);
  const envelopes = createEnvelopes({ fame, random });
  const publicKeys = bounded<FamePublicKey>(8);
  const secretKeys = bounded<{ key: FameSecretKey; cache: DecapsulationCache }>(8);
  const encapsulations = bounded<Encapsulation>(64);
  const publicKeyOf = (json: PublicKeyJson): { key: FamePublicKey; id: string } => {
    const id = JSON.stringify(json);
    return { key: publicKeys.get(id) ?? publicKeys.set(id, codec.decodePublicKey(json)), id };
  };
  const secretKeyOf = (json: SecretKeyJson): { key: FameSecretKey; cache: DecapsulationCache } => {
    const id = JSON.stringify(json);
    return secretKeys.get(id) ?? secretKeys.set(id, { key: codec.decodeSecretKey(json), cache: new Map() });
  };
  return {
    keygen: (msk, attributes) => codec.encodeSecretKey(fame.keygen(codec.decodeMasterKey(msk), attributes)),
    encrypt: (pk, policy) => {
      const { key, ciphertext } = fame.encrypt(codec.decodePublicKey(pk), policy);
      return { key: backend.gtToBytes(key), ciphertext: codec.encodeCiphertext(ciphertext), policy: ciphertext.policy };
    },
    decrypt: (sk, ciphertext, policy) => {
      const key = fame.decrypt(codec.decodeSecretKey(sk), codec.decodeCiphertext(ciphertext, policy));
      return key === undefined ? null : backend.gtToBytes(key);
    },
    seal: (input) => {
      const pk = publicKeyOf(input.publicKey);
      // Only values of one event share an encapsulation (an event UUID is required for that).
      const scope = input.eventUuid === undefined ? undefined : `${pk.id}\n${input.eventUuid}\n${input.policy}`;
      const encapsulation = scope === undefined ? undefined : (encapsulations.get(scope) ?? encapsulations.set(scope, envelopes.encapsulate(pk.key, input.policy)));
      return envelopes.seal({
        publicKey: pk.key, policy: input.policy, plaintext: input.plaintext, eventUuid: input.eventUuid, attributeUuid: input.attributeUuid, encapsulation,
        signingKey: input.signingKeyPem === undefined ? undefined : createPrivateKey(input.signingKeyPem),
      });
    },
    open: (input) => {
      const sk = secretKeyOf(input.secretKey);
      if (sk.cache.size > 4096) sk.cache.clear();
      return envelopes.open({
        envelope: input.envelope, secretKey: sk.key, eventUuid: input.eventUuid, attributeUuid: input.attributeUuid, cache: sk.cache,
        verifyKey: input.verifyKeyPem === undefined ? undefined : createPublicKey(input.verifyKeyPem),
      });
    },
  };
}
