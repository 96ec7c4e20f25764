import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { createFame, type Fame } from './fame.js';
import { fameCodec } from './codec.js';
import { createMclBackend } from '../pairing/mcl-backend.js';
import { seededRandom } from '../random/random.js';

describe('fameCodec', () => {
  let fame: Fame;
  let codec: ReturnType<typeof fameCodec>;
  beforeAll(async () => {
    const backend = await createMclBackend();
    fame = createFame({ backend, random: seededRandom('codec') });
    codec = fameCodec(backend);
  });

  it('round-trips keys and ciphertexts', () => {
    const { publicKey, masterKey } = fame.setup();
    const pk = codec.decodePublicKey(JSON.parse(JSON.stringify(codec.encodePublicKey(publicKey))));
    const msk = codec.decodeMasterKey(JSON.parse(JSON.stringify(codec.encodeMasterKey(masterKey))));
    expect(msk.a1).toBe(masterKey.a1);
    const sk = codec.decodeSecretKey(JSON.parse(JSON.stringify(codec.encodeSecretKey(fame.keygen(msk, ['x', 'y'])))));
    const { key, ciphertext } = fame.encrypt(pk, 'x AND y');
    const bytes = codec.encodeCiphertext(ciphertext);
    expect(bytes.length).toBe(3 + 3 * 96 + 2 * 3 * 48);
    const got = fame.decrypt(sk, codec.decodeCiphertext(bytes, 'x and y'));
    expect(got !== undefined && fame.backend.gtEqual(got, key)).toBe(true);
  });

  it('rejects malformed keys and ciphertexts', () => {
    const { publicKey, masterKey } = fame.setup();
    const pk = codec.encodePublicKey(publicKey);
    const msk = codec.encodeMasterKey(masterKey);
    const sk = codec.encodeSecretKey(fame.keygen(masterKey, ['x']));
    expect(() => codec.decodePublicKey(null)).toThrow('expected a JSON object');
    expect(() => codec.decodePublicKey({ ...pk, v: 2 })).toThrow('not a version 1');
    expect(() => codec.decodeSecretKey(pk)).toThrow('expected a user key, got "public"');
    expect(() => codec.decodePublicKey({ ...pk, H1: 'a+b' })).toThrow('field "H1" must be a base64url string');
    expect(() => codec.decodePublicKey({ ...pk, H1: pk.H2.slice(0, 20) })).toThrow('G2: expected 96 bytes');
    expect(() => codec.decodeMasterKey({ ...msk, a1: Buffer.alloc(32).toString('base64url') })).toThrow('field "a1" is not a scalar');
    expect(() => codec.decodeMasterKey({ ...msk, b2: Buffer.alloc(32, 0xff).toString('base64url') })).toThrow('field "b2" is not a scalar');
    expect(() => codec.decodeSecretKey({ ...sk, k0: sk.k0.slice(0, 2) })).toThrow('"k0" must hold three elements');
    expect(() => codec.decodeSecretKey({ ...sk, attributes: ['x', 'y'] })).toThrow('"y" must hold three elements');
    expect(() => codec.decodeSecretKey({ ...sk, attributes: 'x' })).toThrow(InputError);
    expect(() => codec.decodeCiphertext(new Uint8Array([2, 0, 0]), 'x')).toThrow('not a version 1 FAME ciphertext');
    expect(() => codec.decodeCiphertext(new Uint8Array([1, 0, 1, 0]), 'x')).toThrow('does not match 1 rows');
  });
});
