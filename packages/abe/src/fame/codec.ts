import { InputError } from '@waggle/errors';
import { ENCODED_LENGTH, type G1, type G2, type PairingBackend } from '../pairing/backend.js';
import { Fr } from '../policy/field.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { printPolicy } from '../policy/print-policy.js';
import { normaliseAttributes } from './fame.js';
import { FAME_SCHEME, type FameCiphertext, type FameMasterKey, type FamePublicKey, type FameSecretKey } from './types.js';

/** JSON form of the public parameters (all byte fields base64url). */
export interface PublicKeyJson { v: 1; scheme: typeof FAME_SCHEME; kind: 'public'; H1: string; H2: string; T1: string; T2: string }
/** JSON form of the master secret. */
export interface MasterKeyJson { v: 1; scheme: typeof FAME_SCHEME; kind: 'master'; a1: string; a2: string; b1: string; b2: string; gd1: string; gd2: string; gd3: string }
/** JSON form of a user key. */
export interface SecretKeyJson { v: 1; scheme: typeof FAME_SCHEME; kind: 'user'; attributes: string[]; k0: string[]; k: Record<string, string[]>; kp: string[] }

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function field(obj: Record<string, unknown>, name: string): string {
  const v = obj[name];
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*$/.test(v)) throw new InputError(`key: field "${name}" must be a base64url string`, { field: name });
  return v;
}
const bytes = (obj: Record<string, unknown>, name: string): Uint8Array => new Uint8Array(Buffer.from(field(obj, name), 'base64url'));

function header(input: unknown, kind: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError(`key: expected a JSON object (${kind} key)`, { field: 'key' });
  const obj = input as Record<string, unknown>;
  if (obj.v !== 1 || obj.scheme !== FAME_SCHEME) throw new InputError(`key: not a version 1 ${FAME_SCHEME} key`, { field: 'key' });
  if (obj.kind !== kind) throw new InputError(`key: expected a ${kind} key, got ${JSON.stringify(obj.kind)}`, { field: 'kind' });
  return obj;
}

function scalarToBytes(s: bigint): Uint8Array {
  return new Uint8Array(Buffer.from(s.toString(16).padStart(64, '0'), 'hex'));
}
function scalarFrom(obj: Record<string, unknown>, name: string): bigint {
  const b = bytes(obj, name);
  const s = BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
  if (b.length !== ENCODED_LENGTH.scalar || s === 0n || s >= Fr.ORDER) throw new InputError(`key: field "${name}" is not a scalar`, { field: name });
  return s;
}
function triple<T>(obj: Record<string, unknown>, name: string, decode: (b: Uint8Array) => T): readonly [T, T, T] {
  const v = obj[name];
  if (!Array.isArray(v) || v.length !== 3) throw new InputError(`key: field "${name}" must hold three elements`, { field: name });
  const [a, b, c] = v.map((_, i) => decode(bytes(v as unknown as Record<string, unknown>, String(i))));
  return [a as T, b as T, c as T];
}

/** Serialisers for FAME objects over one back-end (the bytes are back-end independent). */
export function fameCodec(B: PairingBackend): {
  encodePublicKey(pk: FamePublicKey): PublicKeyJson;
  decodePublicKey(json: unknown): FamePublicKey;
  encodeMasterKey(msk: FameMasterKey): MasterKeyJson;
  decodeMasterKey(json: unknown): FameMasterKey;
  encodeSecretKey(sk: FameSecretKey): SecretKeyJson;
  decodeSecretKey(json: unknown): FameSecretKey;
  encodeCiphertext(ct: FameCiphertext): Uint8Array;
  decodeCiphertext(bytes: Uint8Array, policy: string): FameCiphertext;
} {
  const g1 = (b: Uint8Array): G1 => B.g1FromBytes(b);
  const g2 = (b: Uint8Array): G2 => B.g2FromBytes(b);
  const head = { v: 1, scheme: FAME_SCHEME } as const;
  return {
    encodePublicKey: (pk) => ({ ...head, kind: 'public', H1: b64(B.g2ToBytes(pk.H1)), H2: b64(B.g2ToBytes(pk.H2)), T1: b64(B.gtToBytes(pk.T1)), T2: b64(B.gtToBytes(pk.T2)) }),
    decodePublicKey: (json) => {
      const o = header(json, 'public');
      return { H1: g2(bytes(o, 'H1')), H2: g2(bytes(o, 'H2')), T1: B.gtFromBytes(bytes(o, 'T1')), T2: B.gtFromBytes(bytes(o, 'T2')) };
    },
    encodeMasterKey: (m) => ({
      ...head, kind: 'master', a1: b64(scalarToBytes(m.a1)), a2: b64(scalarToBytes(m.a2)), b1: b64(scalarToBytes(m.b1)), b2: b64(scalarToBytes(m.b2)),
      gd1: b64(B.g1ToBytes(m.gd1)), gd2: b64(B.g1ToBytes(m.gd2)), gd3: b64(B.g1ToBytes(m.gd3)),
    }),
    decodeMasterKey: (json) => {
      const o = header(json, 'master');
      return { a1: scalarFrom(o, 'a1'), a2: scalarFrom(o, 'a2'), b1: scalarFrom(o, 'b1'), b2: scalarFrom(o, 'b2'), gd1: g1(bytes(o, 'gd1')), gd2: g1(bytes(o, 'gd2')), gd3: g1(bytes(o, 'gd3')) };
    },
    encodeSecretKey: (sk) => ({
      ...head, kind: 'user', attributes: [...sk.attributes], k0: sk.k0.map((x) => b64(B.g2ToBytes(x))), kp: sk.kp.map((x) => b64(B.g1ToBytes(x))),
      k: Object.fromEntries(sk.attributes.map((a) => [a, (sk.k.get(a) ?? []).map((x) => b64(B.g1ToBytes(x)))])),
    }),
    decodeSecretKey: (json) => {
      const o = header(json, 'user');
      if (!Array.isArray(o.attributes) || !o.attributes.every((a) => typeof a === 'string')) throw new InputError('key: "attributes" must be a list of strings', { field: 'attributes' });
      const attributes = normaliseAttributes(o.attributes as string[]);
      const kObj = o.k;
      if (typeof kObj !== 'object' || kObj === null) throw new InputError('key: field "k" must be an object', { field: 'k' });
      const k = new Map(attributes.map((a) => [a, triple(kObj as Record<string, unknown>, a, g1)] as const));
      return { attributes, k0: triple(o, 'k0', g2), kp: triple(o, 'kp', g1), k };
    },
    encodeCiphertext: (ct) => {
      const out = new Uint8Array(3 + 3 * ENCODED_LENGTH.g2 + ct.c.length * 3 * ENCODED_LENGTH.g1);
      out[0] = 1;
      new DataView(out.buffer).setUint16(1, ct.c.length);
      let at = 3;
      for (const x of ct.c0) {
        out.set(B.g2ToBytes(x), at);
        at += ENCODED_LENGTH.g2;
      }
      for (const row of ct.c) {
        for (const x of row) {
          out.set(B.g1ToBytes(x), at);
          at += ENCODED_LENGTH.g1;
        }
      }
      return out;
    },
    decodeCiphertext: (data, policy) => {
      if (data.length < 3 || data[0] !== 1) throw new InputError('ciphertext: not a version 1 FAME ciphertext', { field: 'ciphertext' });
      const rows = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint16(1);
      if (data.length !== 3 + 3 * ENCODED_LENGTH.g2 + rows * 3 * ENCODED_LENGTH.g1) throw new InputError(`ciphertext: length ${data.length} does not match ${rows} rows`, { field: 'ciphertext' });
      let at = 3;
      const take = (n: number): Uint8Array => data.subarray(at, (at += n));
      const c0 = [g2(take(ENCODED_LENGTH.g2)), g2(take(ENCODED_LENGTH.g2)), g2(take(ENCODED_LENGTH.g2))] as const;
      const c = Array.from({ length: rows }, () => [g1(take(ENCODED_LENGTH.g1)), g1(take(ENCODED_LENGTH.g1)), g1(take(ENCODED_LENGTH.g1))] as const);
      return { policy: printPolicy(parsePolicy(policy)), c0, c };
    },
  };
}
