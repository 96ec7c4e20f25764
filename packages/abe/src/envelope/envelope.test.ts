import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, InputError } from '@waggle/errors';
import { createEnvelopes } from './envelope.js';
import { parseEnvelope, serializeEnvelope, type Envelope } from './format.js';
import { createFame, type Fame } from '../fame/fame.js';
import type { FameMasterKey, FamePublicKey } from '../fame/types.js';
import { createMclBackend } from '../pairing/mcl-backend.js';
import { seededRandom } from '../random/random.js';

const EVENT = '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001';
const ATTR = '5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0002';
const OTHER = '5f0c5b3c-3333-4c3a-9a53-6c1a8d1e0003';
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('envelopes', () => {
  let fame: Fame;
  let env: ReturnType<typeof createEnvelopes>;
  let pk: FamePublicKey;
  let msk: FameMasterKey;
  const producer = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  let sealed: Envelope;
  beforeAll(async () => {
    const random = seededRandom('envelope-tests');
    fame = createFame({ backend: await createMclBackend(), random });
    env = createEnvelopes({ fame, random });
    ({ publicKey: pk, masterKey: msk } = fame.setup());
    sealed = env.seal({ publicKey: pk, policy: '(sector:energy and country:BE) or role:CERT', plaintext: new TextEncoder().encode('secret indicator'), eventUuid: EVENT.toUpperCase(), attributeUuid: ATTR, signingKey: producer.privateKey });
  });

  it('seals and opens, binding canonical policy, UUIDs and signer', () => {
    expect(sealed.policy).toBe('sector:energy AND country:BE OR role:CERT');
    expect(sealed.event).toBe(EVENT);
    const reparsed = parseEnvelope(serializeEnvelope(sealed));
    expect(reparsed).toEqual(sealed);
    const opened = env.open({ envelope: serializeEnvelope(sealed), secretKey: fame.keygen(msk, ['role:CERT']), verifyKey: producer.publicKey, eventUuid: EVENT, attributeUuid: ATTR });
    expect(text(opened.plaintext)).toBe('secret indicator');
    expect(opened.signer).toBe(sealed.signature?.key);
    expect(opened).toMatchObject({ eventUuid: EVENT, attributeUuid: ATTR, policy: sealed.policy });
  });

  it('refuses a key that does not satisfy the policy', () => {
    const key = fame.keygen(msk, ['sector:energy', 'country:FR']);
    expect(() => env.open({ envelope: sealed, secretKey: key })).toThrow(ForbiddenError);
    expect(() => env.open({ envelope: sealed, secretKey: key })).toThrow("the key's attributes do not satisfy the policy: sector:energy AND country:BE OR role:CERT");
  });

  it('rejects tampered ciphertexts, swapped policies and moved envelopes', () => {
    const key = fame.keygen(msk, ['role:CERT', 'sector:energy', 'country:BE']);
    const flip = (s: string, at: number): string => {
      const b = Buffer.from(s, 'base64url');
      b[at] = (b[at] ?? 0) ^ 0x01;
      return b.toString('base64url');
    };
    const unsigned = { ...sealed, signature: null };
    const cases: [string, Envelope, RegExp][] = [
      ['flipped AES ciphertext', { ...unsigned, ct: flip(sealed.ct, 0) }, /authentication failed/],
      ['flipped tag', { ...unsigned, ct: flip(sealed.ct, Buffer.from(sealed.ct, 'base64url').length - 1) }, /authentication failed/],
      ['flipped ABE ciphertext', { ...unsigned, abe: flip(sealed.abe, 200) }, /authentication failed|not a valid encoding/],
      ['swapped policy', { ...unsigned, policy: 'role:CERT OR sector:energy AND country:BE' }, /authentication failed/],
      ['moved to another event', { ...unsigned, event: OTHER }, /authentication failed/],
      ['moved to another attribute', { ...unsigned, attribute: OTHER }, /authentication failed/],
      ['unbound', { ...unsigned, event: null }, /authentication failed/],
    ];
    for (const [name, envelope, message] of cases) {
      expect(() => env.open({ envelope, secretKey: key }), name).toThrow(message);
    }
    // With the signature kept, the host's edits are caught before decryption.
    expect(() => env.open({ envelope: { ...sealed, policy: 'role:CERT' }, secretKey: key })).toThrow(/signature does not verify/);
    expect(() => env.open({ envelope: { ...sealed, event: OTHER }, secretKey: key, verifyKey: producer.publicKey })).toThrow(ForbiddenError);
    // Reading an envelope where another event/attribute expects it.
    expect(() => env.open({ envelope: sealed, secretKey: key, eventUuid: OTHER })).toThrow(/bound to event 5f0c5b3c-1111/);
    expect(() => env.open({ envelope: sealed, secretKey: key, attributeUuid: OTHER })).toThrow(InputError);
    // A valid signature by someone else, or none at all, fails when the producer's key is expected.
    expect(() => env.open({ envelope: sealed, secretKey: key, verifyKey: stranger.publicKey })).toThrow(/signature does not verify/);
    expect(() => env.open({ envelope: unsigned, secretKey: key, verifyKey: producer.publicKey })).toThrow(/not signed/);
    // The untouched envelope still opens: the failures above are the edits.
    expect(text(env.open({ envelope: sealed, secretKey: key }).plaintext)).toBe('secret indicator');
  });

  it('rejects malformed envelopes and inputs with clear errors', () => {
    const key = fame.keygen(msk, ['role:CERT']);
    expect(() => parseEnvelope('{')).toThrow('envelope: not JSON');
    expect(() => parseEnvelope('[]')).toThrow('expected a JSON object');
    expect(() => parseEnvelope({ ...sealed, v: 2 })).toThrow('unsupported version 2');
    expect(() => parseEnvelope({ ...sealed, alg: 'ROT13' })).toThrow('unsupported algorithm');
    expect(() => parseEnvelope({ ...sealed, iv: 'not base64!' })).toThrow('field "iv" is missing or malformed');
    expect(() => parseEnvelope({ ...sealed, event: 'nope' })).toThrow('event: not a UUID');
    expect(() => parseEnvelope({ ...sealed, signature: { alg: 'RSA' } })).toThrow('Ed25519 signature object');
    expect(() => env.open({ envelope: { ...sealed, signature: null, policy: 'role:CERT  OR x' }, secretKey: key })).toThrow('not in canonical form');
    expect(() => env.open({ envelope: { ...sealed, signature: null, abe: 'AAAA' }, secretKey: key })).toThrow(/ciphertext: /);
    expect(() => env.seal({ publicKey: pk, policy: 'a AND', plaintext: new Uint8Array(1) })).toThrow(InputError);
    expect(() => env.seal({ publicKey: pk, policy: 'a', plaintext: new Uint8Array(1), eventUuid: 'x' })).toThrow('eventUuid: not a UUID');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => env.seal({ publicKey: pk, policy: 'a', plaintext: new Uint8Array(1), signingKey: rsa.privateKey })).toThrow(/Ed25519/);
  });
});
