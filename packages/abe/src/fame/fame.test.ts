import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@waggle/errors';
import { createFame, type Fame } from './fame.js';
import type { FameSecretKey } from './types.js';
import type { PairingBackend } from '../pairing/backend.js';
import { createMclBackend } from '../pairing/mcl-backend.js';
import { createNobleBackend } from '../pairing/noble-backend.js';
import { seededRandom } from '../random/random.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { printPolicy } from '../policy/print-policy.js';
import { satisfies } from '../policy/satisfies.js';
import { intGenerator, randomPolicy } from '../test-support/random-policy.js';

describe('FAME', () => {
  let backend: PairingBackend;
  let fame: Fame;
  beforeAll(async () => {
    backend = await createMclBackend();
    fame = createFame({ backend, random: seededRandom('fame-tests') });
  });

  it('decrypts with a satisfying key and refuses a key that does not satisfy the policy', () => {
    const { publicKey, masterKey } = fame.setup();
    const { key, ciphertext } = fame.encrypt(publicKey, '(sector:energy AND country:BE) OR role:CERT');
    expect(ciphertext.policy).toBe('sector:energy AND country:BE OR role:CERT');
    const energyBe = fame.keygen(masterKey, ['country:BE', 'sector:energy', 'x']);
    const cert = fame.keygen(masterKey, ['role:CERT']);
    const energyFr = fame.keygen(masterKey, ['country:FR', 'sector:energy']);
    expect(backend.gtEqual(fame.decrypt(energyBe, ciphertext) ?? backend.pairing(backend.g1Generator(), backend.g2Generator()), key)).toBe(true);
    const viaCert = fame.decrypt(cert, ciphertext);
    expect(viaCert !== undefined && backend.gtEqual(viaCert, key)).toBe(true);
    expect(fame.decrypt(energyFr, ciphertext)).toBeUndefined();
  });

  it('decrypts exactly when the boolean evaluation says the key satisfies the policy (random policies)', () => {
    const int = intGenerator(seededRandom('fame-property'));
    const universe = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const { publicKey, masterKey } = fame.setup();
    const keys: FameSecretKey[] = Array.from({ length: 10 }, (_, i) => {
      const attrs = universe.filter(() => int(3) !== 0);
      return fame.keygen(masterKey, attrs.length > 0 ? attrs : [universe[i % universe.length] as string]);
    });
    let cases = 0;
    let satisfied = 0;
    for (let p = 0; p < 30; p += 1) {
      const policy = randomPolicy(int, universe, 2 + int(8));
      const { key, ciphertext } = fame.encrypt(publicKey, policy);
      for (const sk of keys) {
        cases += 1;
        const got = fame.decrypt(sk, ciphertext);
        const ok = got !== undefined && backend.gtEqual(got, key);
        expect(ok, `${printPolicy(policy)} with ${sk.attributes.join(',')}`).toBe(satisfies(policy, sk.attributes));
        if (ok) satisfied += 1;
      }
    }
    expect(cases).toBe(300);
    expect(satisfied).toBeGreaterThan(30);
    expect(satisfied).toBeLessThan(270);
  }, 180_000);

  it('does not let two users who each lack an attribute combine their keys', () => {
    const { publicKey, masterKey } = fame.setup();
    const { key, ciphertext } = fame.encrypt(publicKey, 'sector:energy AND country:BE');
    const alice = fame.keygen(masterKey, ['sector:energy', 'country:FR']);
    const bob = fame.keygen(masterKey, ['country:BE', 'sector:finance']);
    expect(fame.decrypt(alice, ciphertext)).toBeUndefined();
    expect(fame.decrypt(bob, ciphertext)).toBeUndefined();
    const energy = alice.k.get('sector:energy');
    const be = bob.k.get('country:BE');
    if (energy === undefined || be === undefined) throw new Error('missing key parts');
    // Pool the attribute components under either user's key-wide components.
    for (const base of [alice, bob]) {
      const combined: FameSecretKey = { attributes: ['country:BE', 'sector:energy'], k0: base.k0, kp: base.kp, k: new Map([['sector:energy', energy], ['country:BE', be]]) };
      const got = fame.decrypt(combined, ciphertext);
      expect(got).toBeDefined();
      expect(got !== undefined && backend.gtEqual(got, key)).toBe(false);
    }
    // The honest key for the same attributes works, so the failure is the binding, not the test.
    const honest = fame.decrypt(fame.keygen(masterKey, ['sector:energy', 'country:BE']), ciphertext);
    expect(honest !== undefined && backend.gtEqual(honest, key)).toBe(true);
  });

  it('is byte-identical on both back-ends for the same randomness', () => {
    const run = (b: PairingBackend): string => {
      const f = createFame({ backend: b, random: seededRandom('cross-backend') });
      const { publicKey, masterKey } = f.setup();
      const sk = f.keygen(masterKey, ['a', 'b']);
      const { key, ciphertext } = f.encrypt(publicKey, '2 of (a, b, c) OR d');
      const got = f.decrypt(sk, ciphertext);
      const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
      return [hex(b.gtToBytes(publicKey.T1)), hex(b.g2ToBytes(publicKey.H2)), hex(b.g1ToBytes(sk.kp[0])), hex(b.g1ToBytes(ciphertext.c[2]?.[1] ?? sk.kp[1])), hex(b.gtToBytes(key)), got === undefined ? '' : hex(b.gtToBytes(got))].join('|');
    };
    const fast = run(backend);
    expect(fast).toBe(run(createNobleBackend()));
    const parts = fast.split('|');
    expect(parts[4]).toBe(parts[5]);
  }, 120_000);

  it('rejects invalid attributes and mismatched ciphertexts', () => {
    const { publicKey, masterKey } = fame.setup();
    expect(() => fame.keygen(masterKey, [])).toThrow('at least one attribute');
    expect(() => fame.keygen(masterKey, ['ok', 'not ok'])).toThrow(InputError);
    const { ciphertext } = fame.encrypt(publicKey, 'a OR b');
    const sk = fame.keygen(masterKey, ['a']);
    expect(() => fame.decrypt(sk, { ...ciphertext, policy: 'a OR b OR c' })).toThrow('2 rows for a policy with 3 attributes');
    expect(() => fame.encrypt(publicKey, 'a OR')).toThrow(InputError);
    expect(fame.keygen(masterKey, ['b', 'a', 'b']).attributes).toEqual(['a', 'b']);
    expect(printPolicy(parsePolicy(ciphertext.policy))).toBe('a OR b');
  });
});
