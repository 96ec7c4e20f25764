import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '@waggle/errors';
import { createMclBackend } from './pairing/mcl-backend.js';
import { createNobleBackend } from './pairing/noble-backend.js';
import { createFame } from './fame/fame.js';
import { fameCodec } from './fame/codec.js';
import { createEnvelopes, ed25519PublicKeyFromRaw } from './envelope/envelope.js';
import { systemRandom } from './random/random.js';
import { VECTOR_SPECS, buildVector, type Vector } from './test-support/vectors.js';

const load = (name: string): Vector => JSON.parse(readFileSync(new URL(`../test-vectors/${name}.json`, import.meta.url), 'utf8')) as Vector;

describe('test vectors (packages/abe/test-vectors)', () => {
  it('are reproduced byte for byte from their seeds by the mcl back-end', async () => {
    const mcl = await createMclBackend();
    for (const spec of VECTOR_SPECS) expect(JSON.parse(JSON.stringify(buildVector(mcl, spec))), spec.name).toEqual(load(spec.name));
  });

  it('are reproduced byte for byte by the noble back-end', () => {
    const spec = VECTOR_SPECS[1];
    if (spec === undefined) throw new Error('no vector');
    expect(JSON.parse(JSON.stringify(buildVector(createNobleBackend(), spec)))).toEqual(load(spec.name));
  }, 120_000);

  it('open with exactly the stored keys that satisfy the policy', async () => {
    const backend = await createMclBackend();
    const codec = fameCodec(backend);
    const envelopes = createEnvelopes({ fame: createFame({ backend, random: systemRandom }), random: systemRandom });
    for (const spec of VECTOR_SPECS) {
      const v = load(spec.name);
      expect(v.userKeys.some((k) => k.canDecrypt) && v.userKeys.some((k) => !k.canDecrypt)).toBe(true);
      for (const k of v.userKeys) {
        const open = (): Uint8Array => envelopes.open({
          envelope: v.envelope, secretKey: codec.decodeSecretKey(k.key),
          verifyKey: v.signerPublicKey === null ? undefined : ed25519PublicKeyFromRaw(v.signerPublicKey),
        }).plaintext;
        if (k.canDecrypt) expect(new TextDecoder().decode(open())).toBe(spec.plaintext);
        else expect(open).toThrow(ForbiddenError);
      }
    }
  });
});
