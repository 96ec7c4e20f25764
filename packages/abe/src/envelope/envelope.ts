import { createCipheriv, createDecipheriv, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';
import { ForbiddenError, InputError } from '@waggle/errors';
import type { Fame } from '../fame/fame.js';
import { fameCodec } from '../fame/codec.js';
import type { FamePublicKey, FameSecretKey } from '../fame/types.js';
import type { GT } from '../pairing/backend.js';
import type { RandomSource } from '../random/random.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { printPolicy } from '../policy/print-policy.js';
import { ENVELOPE_ALG, ENVELOPE_VERSION, associatedData, normaliseUuid, parseEnvelope, signedBytes, type Envelope } from './format.js';

/** What to seal. */
export interface SealInput {
  readonly publicKey: FamePublicKey;
  readonly policy: string;
  readonly plaintext: Uint8Array;
  readonly eventUuid?: string | undefined;
  readonly attributeUuid?: string | undefined;
  /** The producer's Ed25519 private key; without it the envelope is unsigned. */
  readonly signingKey?: KeyObject | undefined;
  /**
   * A CP-ABE encapsulation under the same policy to reuse (see {@link Encapsulation});
   * without it, the envelope gets one of its own.
   */
  readonly encapsulation?: Encapsulation | undefined;
}

/**
 * One FAME encapsulation: a random GT element and its ciphertext under a policy.
 * Envelopes sealed with the same encapsulation carry the same `abe` field but
 * still get distinct AES keys: the key is HKDF(GT, info = associated data), and
 * the associated data names the event and the attribute. Sharing it across the
 * values of one event under one policy replaces one pairing-heavy encryption per
 * value by one per event; whoever can open one of them could open all anyway.
 */
export interface Encapsulation {
  /** Canonical policy. */
  readonly policy: string;
  readonly key: GT;
  /** The encoded FAME ciphertext (base64url), as it appears in envelopes. */
  readonly abe: string;
}

/** Decapsulated keys by policy and `abe` field, for one secret key, so envelopes that share an encapsulation cost one CP-ABE decryption. */
export type DecapsulationCache = Map<string, GT | undefined>;

/** What to open, and what the reader expects. */
export interface OpenInput {
  readonly envelope: Envelope | string;
  readonly secretKey: FameSecretKey;
  /** When given, the envelope must carry a valid signature by this Ed25519 public key. */
  readonly verifyKey?: KeyObject | undefined;
  /** When given, the envelope must be bound to this event / attribute (detects moved envelopes). */
  readonly eventUuid?: string | undefined;
  readonly attributeUuid?: string | undefined;
  /** Keys already decapsulated with this `secretKey` (read and filled). */
  readonly cache?: DecapsulationCache | undefined;
}

/** An opened envelope. `signer` is the raw Ed25519 key (base64url) whose signature verified. */
export interface Opened {
  readonly plaintext: Uint8Array;
  readonly policy: string;
  readonly eventUuid: string | null;
  readonly attributeUuid: string | null;
  readonly signer: string | null;
}

const HKDF_SALT = new TextEncoder().encode('waggle-abe-envelope/v1 hkdf salt');
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));

function rawEd25519(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType !== 'ed25519' || typeof jwk.x !== 'string') throw new InputError('signing key: expected an Ed25519 key', { field: 'signingKey' });
  return jwk.x;
}

/** Loads a raw base64url Ed25519 public key. */
export function ed25519PublicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
}

/**
 * Hybrid envelopes: FAME encapsulates a GT element, HKDF-SHA-256 turns its canonical
 * bytes into an AES-256-GCM key, the GCM associated data binds version, event UUID,
 * attribute UUID and canonical policy, and an optional Ed25519 signature lets readers
 * detect a host that altered anything.
 */
export function createEnvelopes(deps: { readonly fame: Fame; readonly random: RandomSource }): {
  encapsulate(publicKey: FamePublicKey, policy: string): Encapsulation;
  seal(input: SealInput): Envelope;
  open(input: OpenInput): Opened;
} {
  const { fame, random } = deps;
  const B = fame.backend;
  const codec = fameCodec(B);
  const deriveKey = (gt: GT, aad: Uint8Array): Buffer => Buffer.from(hkdfSync('sha256', B.gtToBytes(gt), HKDF_SALT, aad, 32));

  const encapsulate = (publicKey: FamePublicKey, policyText: string): Encapsulation => {
    const policy = printPolicy(parsePolicy(policyText));
    const { key, ciphertext } = fame.encrypt(publicKey, policy);
    return { policy, key, abe: b64(codec.encodeCiphertext(ciphertext)) };
  };

  const seal = (input: SealInput): Envelope => {
    const policy = printPolicy(parsePolicy(input.policy));
    const event = normaliseUuid(input.eventUuid, 'eventUuid');
    const attribute = normaliseUuid(input.attributeUuid, 'attributeUuid');
    if (input.encapsulation !== undefined && input.encapsulation.policy !== policy) {
      throw new InputError(`encapsulation is for policy ${input.encapsulation.policy}, not ${policy}`, { field: 'encapsulation' });
    }
    const { key, abe } = input.encapsulation ?? encapsulate(input.publicKey, policy);
    const aad = associatedData({ event, attribute, policy });
    const iv = random(12);
    const cipher = createCipheriv('aes-256-gcm', deriveKey(key, aad), iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(input.plaintext), cipher.final(), cipher.getAuthTag()]);
    const body = { v: ENVELOPE_VERSION, alg: ENVELOPE_ALG, event, attribute, policy, abe, iv: b64(iv), ct: b64(ct) } as const;
    if (input.signingKey === undefined) return { ...body, signature: null };
    const signer = rawEd25519(input.signingKey);
    return { ...body, signature: { alg: 'Ed25519', key: signer, sig: b64(sign(null, signedBytes(body, signer), input.signingKey)) } };
  };

  const open = (input: OpenInput): Opened => {
    const e = parseEnvelope(input.envelope);
    const policy = printPolicy(parsePolicy(e.policy));
    if (policy !== e.policy) throw new InputError('envelope: policy is not in canonical form', { field: 'policy' });
    let signer: string | null = null;
    if (input.verifyKey !== undefined && e.signature === null) throw new ForbiddenError('envelope: not signed, but a verification key was given');
    if (e.signature !== null) {
      const key = input.verifyKey ?? ed25519PublicKeyFromRaw(e.signature.key);
      const raw = rawEd25519(key);
      if (raw !== e.signature.key || !verify(null, signedBytes(e, e.signature.key), key, unb64(e.signature.sig))) {
        throw new ForbiddenError('envelope: signature does not verify (altered, or signed by another producer)');
      }
      signer = raw;
    }
    const expectedEvent = normaliseUuid(input.eventUuid, 'eventUuid');
    const expectedAttribute = normaliseUuid(input.attributeUuid, 'attributeUuid');
    if ((expectedEvent !== null && expectedEvent !== e.event) || (expectedAttribute !== null && expectedAttribute !== e.attribute)) {
      throw new InputError(`envelope: bound to event ${e.event ?? '(none)'} / attribute ${e.attribute ?? '(none)'}, not the one being read`, { field: 'envelope' });
    }
    const cacheKey = `${policy}\n${e.abe}`;
    const cached = input.cache?.has(cacheKey) === true;
    const gt = cached ? input.cache?.get(cacheKey) : fame.decrypt(input.secretKey, codec.decodeCiphertext(unb64(e.abe), policy));
    if (!cached) input.cache?.set(cacheKey, gt);
    if (gt === undefined) throw new ForbiddenError(`the key's attributes do not satisfy the policy: ${policy}`, { policy });
    const aad = associatedData(e);
    const iv = unb64(e.iv);
    const ct = unb64(e.ct);
    if (iv.length !== 12 || ct.length < 16) throw new InputError('envelope: malformed iv or ciphertext', { field: 'ct' });
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(gt, aad), iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(ct.subarray(ct.length - 16));
    try {
      const plaintext = new Uint8Array(Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]));
      return { plaintext, policy, eventUuid: e.event, attributeUuid: e.attribute, signer };
    } catch {
      throw new InputError('envelope: authentication failed (the ciphertext, its policy or its event/attribute binding was altered)', { field: 'ct' });
    }
  };

  return { encapsulate, seal, open };
}
