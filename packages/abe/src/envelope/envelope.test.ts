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

  it('shares one encapsulation between the values of an event, each with its own key, and decapsulates it once', () => {
    let encryptions = 0;
    let decryptions = 0;
    const counting: Fame = {
      ...fame,
      encrypt: (...a: Parameters<Fame['encrypt']>) => ((encryptions += 1), fame.encrypt(...a)),
      decrypt: (...a: Parameters<Fame['decrypt']>) => ((decryptions += 1), fame.decrypt(...a)),
    };
    const shared = createEnvelopes({ fame: counting, random: seededRandom('shared-encapsulation') });
    const policy = 'role:CERT or sector:energy';
    const encapsulation = shared.encapsulate(pk, policy);
    const values = ['198.51.100.7', 'evil.example', 'b1946ac92492d2347c6235b4d2611184'];
    const uuids = [ATTR, OTHER, '5f0c5b3c-4444-4c3a-9a53-6c1a8d1e0004'];
    const envelopes = values.map((v, i) => shared.seal({ publicKey: pk, policy, plaintext: new TextEncoder().encode(v), eventUuid: EVENT, attributeUuid: uuids[i], signingKey: producer.privateKey, encapsulation }));
    expect(encryptions).toBe(1);
    expect(new Set(envelopes.map((e) => e.abe)).size).toBe(1);
    expect(new Set(envelopes.map((e) => e.ct)).size).toBe(3);

    const key = fame.keygen(msk, ['role:CERT']);
    const cache = new Map();
    const opened = envelopes.map((e, i) => text(shared.open({ envelope: e, secretKey: key, eventUuid: EVENT, attributeUuid: uuids[i], cache }).plaintext));
    expect(opened).toEqual(values);
    expect(decryptions).toBe(1);

    // Sharing the encapsulation does not let one value pass for another: the AES key follows the binding.
    const moved = { ...envelopes[0]!, attribute: OTHER, ct: envelopes[0]!.ct };
    expect(() => shared.open({ envelope: { ...moved, signature: null }, secretKey: key, cache })).toThrow('envelope: authentication failed');
    // A key that does not satisfy the policy is refused for every value, from the cache too.
    const outsider = fame.keygen(msk, ['sector:finance']);
    const outsiderCache = new Map();
    for (const e of envelopes) expect(() => shared.open({ envelope: e, secretKey: outsider, cache: outsiderCache })).toThrow(ForbiddenError);
    expect(decryptions).toBe(2);
    // An encapsulation is for one policy.
    expect(() => shared.seal({ publicKey: pk, policy: 'role:CERT', plaintext: new Uint8Array(1), eventUuid: EVENT, attributeUuid: ATTR, encapsulation })).toThrow(InputError);
  });
});
