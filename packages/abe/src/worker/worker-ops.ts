import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { PairingBackend } from '../pairing/backend.js';
import { createFame } from '../fame/fame.js';
import { fameCodec } from '../fame/codec.js';
import { createEnvelopes } from '../envelope/envelope.js';
import type { RandomSource } from '../random/random.js';
import type { WorkerOps } from './protocol.js';

/** The operations behind the worker protocol (also usable in-thread; tests call them directly). */
export function createWorkerOps(backend: PairingBackend, random: RandomSource): WorkerOps {
  const fame = createFame({ backend, random });
  const codec = fameCodec(backend);
  const envelopes = createEnvelopes({ fame, random });
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
    seal: (input) => envelopes.seal({
      publicKey: codec.decodePublicKey(input.publicKey), policy: input.policy, plaintext: input.plaintext, eventUuid: input.eventUuid, attributeUuid: input.attributeUuid,
      signingKey: input.signingKeyPem === undefined ? undefined : createPrivateKey(input.signingKeyPem),
    }),
    open: (input) => envelopes.open({
      envelope: input.envelope, secretKey: codec.decodeSecretKey(input.secretKey), eventUuid: input.eventUuid, attributeUuid: input.attributeUuid,
      verifyKey: input.verifyKeyPem === undefined ? undefined : createPublicKey(input.verifyKeyPem),
    }),
  };
}
