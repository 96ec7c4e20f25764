import { InputError } from '@waggle/errors';

/** Envelope format version written into and required from every envelope. */
export const ENVELOPE_VERSION = 1;
/** The algorithm suite of version 1. */
export const ENVELOPE_ALG = 'FAME-BLS12-381/HKDF-SHA-256/AES-256-GCM';

/** Optional producer signature over the envelope. */
export interface EnvelopeSignature {
  readonly alg: 'Ed25519';
  /** The signer's raw 32-byte Ed25519 public key (base64url). */
  readonly key: string;
  /** 64-byte signature over `signedBytes` (base64url). */
  readonly sig: string;
}

/** A sealed envelope (see the README for the specification). Byte fields are base64url. */
export interface Envelope {
  readonly v: typeof ENVELOPE_VERSION;
  readonly alg: typeof ENVELOPE_ALG;
  readonly event: string | null;
  readonly attribute: string | null;
  readonly policy: string;
  readonly abe: string;
  readonly iv: string;
  readonly ct: string;
  readonly signature: EnvelopeSignature | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Validates a UUID (any case) and returns it in lower case; `undefined`/`null` stay `null`. */
export function normaliseUuid(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  const lower = value.toLowerCase();
  if (!UUID.test(lower)) throw new InputError(`${field}: not a UUID: ${JSON.stringify(value)}`, { field });
  return lower;
}

const encoder = new TextEncoder();

/** Concatenates byte strings, each prefixed with its length as a 32-bit big-endian integer. */
export function lengthPrefixed(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + 4 + b.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of bytes) {
    view.setUint32(at, b.length);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

/**
 * The AES-GCM associated data (and HKDF info): binds the ciphertext to the format
 * version, the event and attribute UUIDs (empty when unbound) and the canonical policy.
 */
export function associatedData(e: Pick<Envelope, 'event' | 'attribute' | 'policy'>): Uint8Array {
  return lengthPrefixed([`waggle-abe-envelope/v${ENVELOPE_VERSION}`, ENVELOPE_ALG, e.event ?? '', e.attribute ?? '', e.policy]);
}

/** The bytes the producer signs: everything in the envelope except the signature value. */
export function signedBytes(e: Omit<Envelope, 'signature'>, signerKey: string): Uint8Array {
  return lengthPrefixed(['waggle-abe-envelope-signature/v1', associatedData(e), e.abe, e.iv, e.ct, signerKey]);
}

function str(o: Record<string, unknown>, name: string, pattern?: RegExp): string {
  const v = o[name];
  if (typeof v !== 'string' || (pattern !== undefined && !pattern.test(v))) throw new InputError(`envelope: field "${name}" is missing or malformed`, { field: name });
  return v;
}

/** Parses and validates an envelope from JSON text or an already parsed value. */
export function parseEnvelope(input: string | unknown): Envelope {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new InputError('envelope: not JSON', { field: 'envelope' });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('envelope: expected a JSON object', { field: 'envelope' });
  const o = value as Record<string, unknown>;
  if (o.v !== ENVELOPE_VERSION) throw new InputError(`envelope: unsupported version ${JSON.stringify(o.v)} (expected ${ENVELOPE_VERSION})`, { field: 'v' });
  if (o.alg !== ENVELOPE_ALG) throw new InputError(`envelope: unsupported algorithm ${JSON.stringify(o.alg)}`, { field: 'alg' });
  const uuidField = (name: 'event' | 'attribute'): string | null => (o[name] === null ? null : normaliseUuid(str(o, name), name));
  let signature: EnvelopeSignature | null = null;
  if (o.signature !== null && o.signature !== undefined) {
    const s = o.signature as Record<string, unknown>;
    if (typeof s !== 'object' || s.alg !== 'Ed25519') throw new InputError('envelope: signature must be an Ed25519 signature object', { field: 'signature' });
    signature = { alg: 'Ed25519', key: str(s, 'key', B64URL), sig: str(s, 'sig', B64URL) };
  }
  return {
    v: ENVELOPE_VERSION, alg: ENVELOPE_ALG, event: uuidField('event'), attribute: uuidField('attribute'), policy: str(o, 'policy'),
    abe: str(o, 'abe', B64URL), iv: str(o, 'iv', B64URL), ct: str(o, 'ct', B64URL), signature,
  };
}

/** Serialises an envelope as JSON with the fields in specification order. */
export function serializeEnvelope(e: Envelope): string {
  const { v, alg, event, attribute, policy, abe, iv, ct, signature } = e;
  return JSON.stringify({ v, alg, event, attribute, policy, abe, iv, ct, signature });
}
