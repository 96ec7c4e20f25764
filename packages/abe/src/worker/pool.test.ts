import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ForbiddenError, InputError } from '@waggle/errors';
import { createAbeWorkerPool } from './pool.js';
import { createMclBackend } from '../pairing/mcl-backend.js';
import { createFame } from '../fame/fame.js';
import { fameCodec } from '../fame/codec.js';
import { seededRandom } from '../random/random.js';

describe('ABE worker pool', () => {
  const pool = createAbeWorkerPool({ size: 2 });
  afterAll(() => pool.close());

  it('runs keygen, encrypt, decrypt, seal and open on worker threads', async () => {
    const backend = await createMclBackend();
    const { publicKey, masterKey } = createFame({ backend, random: seededRandom('pool') }).setup();
    const codec = fameCodec(backend);
    const pk = codec.encodePublicKey(publicKey);
    const msk = codec.encodeMasterKey(masterKey);
    const [good, bad] = await Promise.all([pool.keygen(msk, ['a', 'b']), pool.keygen(msk, ['a'])]);
    expect(good.attributes).toEqual(['a', 'b']);
    const enc = await pool.encrypt(pk, 'a and b');
    expect(enc.policy).toBe('a AND b');
    expect(Buffer.from((await pool.decrypt(good, enc.ciphertext, enc.policy)) ?? []).equals(Buffer.from(enc.key))).toBe(true);
    expect(await pool.decrypt(bad, enc.ciphertext, enc.policy)).toBeNull();

    const signer = generateKeyPairSync('ed25519');
    const pem = (k: typeof signer.privateKey, type: 'pkcs8' | 'spki'): string => k.export({ format: 'pem', type }).toString();
    const envelope = await pool.seal({ publicKey: pk, policy: 'a AND b', plaintext: new TextEncoder().encode('hi'), signingKeyPem: pem(signer.privateKey, 'pkcs8') });
    const opened = await pool.open({ envelope, secretKey: good, verifyKeyPem: pem(signer.publicKey, 'spki') });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('hi');
    await expect(pool.open({ envelope, secretKey: bad })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(pool.encrypt(pk, 'a AND')).rejects.toBeInstanceOf(InputError);
    await expect(pool.keygen(msk, ['bad name'])).rejects.toThrow('invalid attribute names');
  }, 120_000);
});
