import { createEnvelopes } from '../envelope/envelope.js';
import { serializeEnvelope } from '../envelope/format.js';
import { ed25519KeyFromSeed } from '../envelope/ed25519-seed.js';
import { createFame } from '../fame/fame.js';
import { fameCodec, type MasterKeyJson, type PublicKeyJson, type SecretKeyJson } from '../fame/codec.js';
import type { PairingBackend } from '../pairing/backend.js';
import { seededRandom } from '../random/random.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { satisfies } from '../policy/satisfies.js';

/** The inputs of one test vector. */
export interface VectorSpec {
  readonly name: string;
  readonly seed: string;
  readonly policy: string;
  readonly plaintext: string;
  readonly event: string | null;
  readonly attribute: string | null;
  readonly signed: boolean;
  readonly keys: readonly (readonly string[])[];
}

/** A test vector as stored in test-vectors/*.json. */
export interface Vector {
  readonly description: string;
  readonly spec: VectorSpec;
  readonly publicKey: PublicKeyJson;
  readonly masterKey: MasterKeyJson;
  readonly signerPublicKey: string | null;
  readonly userKeys: readonly { readonly attributes: readonly string[]; readonly canDecrypt: boolean; readonly key: SecretKeyJson }[];
  readonly envelope: string;
}

export const VECTOR_SPECS: readonly VectorSpec[] = [
  { name: 'or-of-and', seed: 'waggle-abe-vector-1', policy: '(sector:energy AND country:BE) OR role:CERT', plaintext: '198.51.100.7 beaconing to c2.example', event: '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001', attribute: '5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0002', signed: true, keys: [['sector:energy', 'country:BE'], ['role:CERT'], ['sector:energy', 'country:FR']] },
  { name: 'threshold', seed: 'waggle-abe-vector-2', policy: '2 of (tlp:amber, sector:finance, country:LU) AND org:waggle', plaintext: 'wallet bc1qexample', event: null, attribute: null, signed: false, keys: [['tlp:amber', 'country:LU', 'org:waggle'], ['tlp:amber', 'sector:finance'], ['sector:finance', 'org:waggle']] },
];

/** Derives a vector deterministically from its spec (randomness: SHA-256 counter mode over the seed). */
export function buildVector(backend: PairingBackend, spec: VectorSpec): Vector {
  const random = seededRandom(spec.seed);
  const fame = createFame({ backend, random });
  const codec = fameCodec(backend);
  const { publicKey, masterKey } = fame.setup();
  const userKeys = spec.keys.map((attributes) => fame.keygen(masterKey, attributes));
  const signingKey = spec.signed ? ed25519KeyFromSeed(random(32)) : undefined;
  const envelope = createEnvelopes({ fame, random }).seal({
    publicKey, policy: spec.policy, plaintext: new TextEncoder().encode(spec.plaintext), eventUuid: spec.event ?? undefined, attributeUuid: spec.attribute ?? undefined, signingKey,
  });
  return {
    description: `waggle CP-ABE test vector "${spec.name}": FAME on BLS12-381 with seeded randomness (SHA-256 counter mode over spec.seed); scalars drawn as 48 bytes mod r in the order setup (a1 a2 b1 b2 d1 d2 d3), keygen per key (r1 r2, σ per sorted attribute, σ'), Ed25519 seed (32 bytes, if signed), encrypt (s1 s2), GCM IV (12 bytes).`,
    spec,
    publicKey: codec.encodePublicKey(publicKey),
    masterKey: codec.encodeMasterKey(masterKey),
    signerPublicKey: envelope.signature?.key ?? null,
    userKeys: userKeys.map((k, i) => ({ attributes: spec.keys[i] ?? [], canDecrypt: satisfies(parsePolicy(spec.policy), spec.keys[i] ?? []), key: codec.encodeSecretKey(k) })),
    envelope: serializeEnvelope(envelope),
  };
}
