import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, InputError, NotFoundError } from '@waggle/errors';
import { createEnvelopes } from '../envelope/envelope.js';
import { createFame, type Fame } from '../fame/fame.js';
import { fameCodec } from '../fame/codec.js';
import type { FameMasterKey, FamePublicKey } from '../fame/types.js';
import { createMclBackend } from '../pairing/mcl-backend.js';
import { seededRandom } from '../random/random.js';
import { createAbeWorkerPool } from '../worker/pool.js';
import { blindToken } from './blind-token.js';
import { decryptEvent } from './decrypt-event.js';
import { envelopeOpener, envelopeSealer, poolOpener, poolSealer, type Opener, type Sealer } from './ports.js';
import { protectEvent } from './protect-event.js';
import { PROTECTED_TAG, formatProtectedValue, parseProtectedValue } from './protected-value.js';

const POLICY = '(sector:energy AND country:BE) OR role:CERT';
const EVENT = '5f0c5b3c-1111-4c3a-9a53-6c1a8d1e0001';
const A1 = '5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0002';
const A2 = '5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0003';
const O1 = '5f0c5b3c-3333-4c3a-9a53-6c1a8d1e0004';
const OA1 = '5f0c5b3c-4444-4c3a-9a53-6c1a8d1e0005';

type J = Record<string, unknown>;
const anEvent = (): J => ({
  Event: {
    uuid: EVENT,
    info: 'Grid operator phishing wave',
    Attribute: [
      { uuid: A1, type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', to_ids: true, distribution: '1' },
      { uuid: A2, type: 'domain', category: 'Network activity', value: 'Evil.example', Tag: [{ name: 'tlp:amber' }] },
    ],
    Object: [{ uuid: O1, name: 'file', Attribute: [{ uuid: OA1, type: 'sha256', object_relation: 'sha256', value: 'a'.repeat(64) }] }],
  },
});
const attrs = (e: J): J[] => ((e.Event as J).Attribute as J[]);
const objAttrs = (e: J): J[] => (((e.Event as J).Object as J[])[0]!.Attribute as J[]);

describe('protecting and decrypting MISP events', () => {
  let fame: Fame;
  let envelopes: ReturnType<typeof createEnvelopes>;
  let pk: FamePublicKey;
  let msk: FameMasterKey;
  let sealer: Sealer;
  const producer = generateKeyPairSync('ed25519');
  const community = new Uint8Array(32).fill(7);
  let cert: Opener;
  let outsider: Opener;
  beforeAll(async () => {
    const random = seededRandom('misp-protect-tests');
    fame = createFame({ backend: await createMclBackend(), random });
    envelopes = createEnvelopes({ fame, random });
    ({ publicKey: pk, masterKey: msk } = fame.setup());
    sealer = envelopeSealer({ envelopes, publicKey: pk, signingKey: producer.privateKey });
    cert = envelopeOpener({ envelopes, secretKey: fame.keygen(msk, ['role:CERT']), verifyKey: producer.publicKey });
    outsider = envelopeOpener({ envelopes, secretKey: fame.keygen(msk, ['sector:energy', 'country:FR']), verifyKey: producer.publicKey });
  });

  it('protects every attribute and the info, keeping type, category, uuid, to_ids and distribution', async () => {
    const input = anEvent();
    const { event, protectedAttributes, protectedInfo } = await protectEvent(input, { policy: POLICY, sealer, protectInfo: true, communityKey: community });
    expect(input).toEqual(anEvent());
    expect([protectedAttributes, protectedInfo]).toEqual([3, true]);
    const a = attrs(event)[0]!;
    expect(a).toMatchObject({ uuid: A1, type: 'ip-dst', category: 'Network activity', to_ids: true, distribution: '1' });
    const parsed = parseProtectedValue(String(a.value))!;
    expect(parsed.token).toBe(blindToken(community, 'ip-dst', '198.51.100.7'));
    expect(parsed.envelope).toMatchObject({ event: EVENT, attribute: A1, policy: 'sector:energy AND country:BE OR role:CERT' });
    expect(JSON.stringify(event)).not.toMatch(/198\.51\.100\.7|Evil\.example|aaaaaaaa|Grid operator/);
    expect(attrs(event)[1]!.Tag).toEqual([{ name: 'tlp:amber' }, { name: PROTECTED_TAG }]);
    expect(parseProtectedValue(String((event.Event as J).info))!.envelope.attribute).toBeNull();
    // One CP-ABE encapsulation per event and policy: every value carries the same one, with its own AES key.
    const envelopes = [...attrs(event).map((x) => String(x.value)), String((event.Event as J).info)].map((v) => parseProtectedValue(v)!.envelope);
    expect(new Set(envelopes.map((e) => e.abe)).size).toBe(1);
    expect(new Set(envelopes.map((e) => e.ct)).size).toBe(envelopes.length);
    const other = await protectEvent({ Event: { ...(anEvent().Event as J), uuid: '5f0c5b3c-9999-4c3a-9a53-6c1a8d1e0009' } }, { policy: POLICY, sealer });
    expect(parseProtectedValue(String(attrs(other.event)[0]!.value))!.envelope.abe).not.toBe(envelopes[0]!.abe);
  });

  it('gives back the own type of a value that went through a stock MISP as text', async () => {
    const { event } = await protectEvent(anEvent(), { policy: POLICY, sealer });
    const viaMisp = structuredClone(event);
    const a = attrs(viaMisp)[0]!;
    a.type = 'text';
    a.Tag = [...((a.Tag as J[] | undefined) ?? []), { name: 'waggle:protected-type="ip-dst"' }];
    const read = await decryptEvent(viaMisp, cert);
    expect(read.event).toEqual(anEvent());
  });

  it('restores everything for a satisfying key and leaves envelopes to a non-satisfying one', async () => {
    const { event } = await protectEvent(anEvent(), { policy: POLICY, sealer, protectInfo: true });
    const read = await decryptEvent(event, cert);
    expect(read.stillProtected).toEqual([]);
    expect(read.decrypted).toBe(4);
    expect(read.event).toEqual(anEvent());
    const denied = await decryptEvent(event, outsider);
    expect(denied.decrypted).toBe(0);
    expect(denied.stillProtected.map((s) => s.attribute)).toEqual([null, A1, A2, OA1]);
    expect(denied.event).toEqual(event);
  });

  it('protects only the chosen attributes or objects; unknown UUIDs are refused', async () => {
    const one = await protectEvent(anEvent(), { policy: POLICY, sealer, attributes: [A2.toUpperCase()] });
    expect(attrs(one.event).map((a) => parseProtectedValue(String(a.value)) !== undefined)).toEqual([false, true]);
    expect(objAttrs(one.event)[0]!.value).toBe('a'.repeat(64));
    const obj = await protectEvent(anEvent(), { policy: POLICY, sealer, objects: [O1] });
    expect(obj.protectedAttributes).toBe(1);
    expect(attrs(obj.event)[0]!.value).toBe('198.51.100.7');
    await expect(protectEvent(anEvent(), { policy: POLICY, sealer, attributes: [OA1.replace('5', '6')] })).rejects.toThrow(NotFoundError);
    // Protecting twice leaves the envelopes alone.
    const again = await protectEvent(one.event, { policy: POLICY, sealer });
    expect(attrs(again.event)[1]!.value).toBe(attrs(one.event)[1]!.value);
    expect(again.protectedAttributes).toBe(2);
  });

  it('refuses bad policies and malformed events', async () => {
    await expect(protectEvent(anEvent(), { policy: 'role:CERT AND (', sealer })).rejects.toThrow(InputError);
    await expect(protectEvent([], { policy: POLICY, sealer })).rejects.toThrow('expected a MISP event JSON object');
    await expect(protectEvent({ Event: { Attribute: 'x' } }, { policy: POLICY, sealer })).rejects.toThrow('Event.Attribute: expected a list');
    await expect(protectEvent({ Event: { uuid: 'nope' } }, { policy: POLICY, sealer })).rejects.toThrow('Event.uuid: not a UUID');
    expect(() => parseProtectedValue('waggle-bt:v1:xyz|waggle-abe:v1:{}')).toThrow('malformed blind token');
    expect(() => parseProtectedValue('waggle-abe:v1:{"v":2}')).toThrow(InputError);
  });

  it('rejects a moved envelope, a swapped policy and a tampered ciphertext', async () => {
    const { event } = await protectEvent(anEvent(), { policy: POLICY, sealer, protectInfo: true });
    const moved = structuredClone(event);
    attrs(moved)[1]!.value = attrs(moved)[0]!.value;
    await expect(decryptEvent(moved, cert)).rejects.toThrow(/Event\.Attribute\[1\]: envelope: bound to event .* attribute 5f0c5b3c-2222-4c3a-9a53-6c1a8d1e0002/);
    const toInfo = structuredClone(event);
    (toInfo.Event as J).info = attrs(toInfo)[0]!.value;
    await expect(decryptEvent(toInfo, cert)).rejects.toThrow('Event.info: the envelope is bound to attribute');

    const swapped = structuredClone(event);
    const env = parseProtectedValue(String(attrs(swapped)[0]!.value))!.envelope;
    attrs(swapped)[0]!.value = formatProtectedValue({ ...env, policy: 'sector:energy AND country:FR OR role:CERT' });
    await expect(decryptEvent(swapped, cert)).rejects.toThrow(ForbiddenError);
    const unsignedOpener = envelopeOpener({ envelopes, secretKey: fame.keygen(msk, ['role:CERT']) });
    attrs(swapped)[0]!.value = formatProtectedValue({ ...env, policy: 'sector:energy AND country:FR OR role:CERT', signature: null });
    await expect(decryptEvent(swapped, unsignedOpener)).rejects.toThrow(/authentication failed/);

    const tampered = structuredClone(event);
    const ct = Buffer.from(env.ct, 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    attrs(tampered)[0]!.value = formatProtectedValue({ ...env, ct: ct.toString('base64url') });
    await expect(decryptEvent(tampered, cert)).rejects.toThrow(/Event\.Attribute\[0\]: envelope: signature does not verify/);
  });

  it('gives two producers of one community the same blind token, and other communities another', () => {
    expect(blindToken(community, 'domain', ' Evil.EXAMPLE ')).toBe(blindToken(community, 'hostname', 'evil.example'));
    expect(blindToken(community, 'url', 'http://x/A')).not.toBe(blindToken(community, 'url', 'http://x/a'));
    expect(blindToken(new Uint8Array(32).fill(8), 'domain', 'evil.example')).not.toBe(blindToken(community, 'domain', 'evil.example'));
    expect(() => blindToken(new Uint8Array(8), 'domain', 'x')).toThrow('at least 16 bytes');
  });

  it('runs on the worker pool', async () => {
    const pool = createAbeWorkerPool({ size: 2 });
    try {
      const codec = fameCodec(fame.backend);
      const pem = (k: typeof producer.privateKey) => k.export({ format: 'pem', type: k.type === 'private' ? 'pkcs8' : 'spki' }).toString();
      const s = poolSealer(pool, { publicKey: codec.encodePublicKey(pk), signingKeyPem: pem(producer.privateKey) });
      const { event } = await protectEvent(anEvent(), { policy: POLICY, sealer: s });
      const o = poolOpener(pool, { secretKey: codec.encodeSecretKey(fame.keygen(msk, ['sector:energy', 'country:BE'])), verifyKeyPem: pem(producer.publicKey) });
      const read = await decryptEvent(event, o);
      expect(read.event).toEqual(anEvent());
    } finally {
      await pool.close();
    }
  });
});
